/* The image type: plain interleaved 8-bit samples, owned by the struct. */
#include <stdint.h>
#include <stdlib.h>

#include "augment/image.h"

aug_status aug_image_alloc(aug_image *img, int width, int height, int channels,
                           aug_error *err)
{
    img->width = img->height = img->channels = 0;
    img->data = NULL;
    if (width <= 0 || height <= 0)
        return aug_fail(err, AUG_ERR_ARG, "image size %dx%d is not positive",
                        width, height);
    if (channels < 1 || channels > 4)
        return aug_fail(err, AUG_ERR_ARG, "%d channels (1 to 4 allowed)",
                        channels);
    /* width * height * channels must fit a size_t with room to spare, so
     * that index arithmetic in the kernels cannot overflow either. */
    if ((size_t)width > SIZE_MAX / 8 / (size_t)height / (size_t)channels)
        return aug_fail(err, AUG_ERR_NOMEM, "image %dx%d is too large",
                        width, height);
    img->data = calloc((size_t)width * (size_t)height, (size_t)channels);
    if (!img->data)
        return aug_fail(err, AUG_ERR_NOMEM, "out of memory allocating a %dx%d image",
                        width, height);
    img->width = width;
    img->height = height;
    img->channels = channels;
    return AUG_OK;
}

void aug_image_free(aug_image *img)
{
    if (!img)
        return;
    free(img->data);
    img->data = NULL;
    img->width = img->height = img->channels = 0;
}

size_t aug_image_size(const aug_image *img)
{
    return (size_t)img->width * (size_t)img->height * (size_t)img->channels;
}

int aug_image_has_alpha(const aug_image *img)
{
    return img->channels == 2 || img->channels == 4;
}

int aug_image_color_channels(const aug_image *img)
{
    return aug_image_has_alpha(img) ? img->channels - 1 : img->channels;
}

/* A symmetry as the matrix it applies to centred coordinates (x, y):
 * mirror x negates x, mirror y negates y, transpose swaps them. */
static void d4_matrix(aug_dihedral d, int m[4])
{
    int t = (d & 4) != 0, sx = d & 1 ? -1 : 1, sy = d & 2 ? -1 : 1;
    /* flips after the transpose: diag(sx, sy) * (t ? [[0,1],[1,0]] : I) */
    m[0] = t ? 0 : sx;
    m[1] = t ? sx : 0;
    m[2] = t ? sy : 0;
    m[3] = t ? 0 : sy;
}

aug_dihedral aug_dihedral_then(aug_dihedral a, aug_dihedral b)
{
    int ma[4], mb[4], m[4];
    d4_matrix(a, ma);
    d4_matrix(b, mb);
    m[0] = mb[0] * ma[0] + mb[1] * ma[2];
    m[1] = mb[0] * ma[1] + mb[1] * ma[3];
    m[2] = mb[2] * ma[0] + mb[3] * ma[2];
    m[3] = mb[2] * ma[1] + mb[3] * ma[3];
    for (int d = 0; d < 8; d++) {
        int md[4];
        d4_matrix((aug_dihedral)d, md);
        if (md[0] == m[0] && md[1] == m[1] && md[2] == m[2] && md[3] == m[3])
            return (aug_dihedral)d;
    }
    return AUG_D4_IDENTITY; /* not reached: D4 is closed */
}
