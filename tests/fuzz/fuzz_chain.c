/* The chain and recipe parser, and every operation's option parser through
 * it: text in, a chain or one clear error out, never a crash; a chain that
 * parses draws and applies on a small image. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "augment/augment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    aug_chain *c = NULL;
    aug_error err;
    aug_status st = aug_chain_parse(text, size & 1 ? "recipe.txt" : NULL, &c, &err);
    if (st) {
        if (c || !err.msg[0])
            abort(); /* a failure gives no chain and says why */
    } else {
        aug_image img, out;
        if (aug_image_alloc(&img, 7 + (int)(size % 13), 5 + (int)(size % 7), 1 + (int)(size % 4),
                            NULL) == AUG_OK) {
            for (size_t i = 0; i < aug_image_size(&img); i++)
                img.data[i] = (uint8_t)(i * 31);
            aug_geom g = {img.width, img.height, img.channels};
            aug_plan *p;
            if (aug_chain_draw(c, size, "k", size % 5, &g, &p, NULL) == AUG_OK) {
                aug_geom og;
                aug_plan_geometry(p, &og);
                /* --expand and friends: only what stays small is applied */
                if ((size_t)og.width * (size_t)og.height < (1u << 20) &&
                    aug_plan_apply(p, &img, &out, NULL) == AUG_OK)
                    aug_image_free(&out);
                if (!aug_plan_text(p))
                    abort();
                aug_plan_free(p);
            }
            aug_image_free(&img);
        }
        aug_chain_free(c);
    }
    free(text);
    return 0;
}
