/* aug_load / aug_save: a file in, a file out, for programs that want one
 * call each (the command-line tool reads and writes through the same
 * pieces, with its own error wording). */
#include <stdlib.h>

#include "augment/codec.h"
#include "io/fileio.h"

aug_status aug_load(const char *path, size_t max_pixels, aug_image *img,
                    aug_decode_info *info, aug_error *err)
{
    uint8_t *buf;
    size_t len;
    *img = (aug_image){0};
    aug_status st = aug_read_file(path, &buf, &len, err);
    if (st)
        return st;
    st = aug_decode(buf, len, max_pixels, img, info, err);
    free(buf);
    return st;
}

aug_status aug_save(const aug_image *img, const char *path, aug_format fmt, int quality,
                    aug_error *err)
{
    if (fmt == AUG_FMT_UNKNOWN && !aug_format_writable(fmt = aug_format_from_path(path)))
        return aug_fail(err, AUG_ERR_ARG,
                        "%s: cannot tell the format from the name (png, jpg, bmp, tga)", path);
    uint8_t *buf;
    size_t len;
    aug_status st = aug_encode(img, fmt, quality ? quality : 95, &buf, &len, err);
    if (st)
        return st;
    st = aug_write_file_atomic(path, buf, len, err);
    free(buf);
    return st;
}
