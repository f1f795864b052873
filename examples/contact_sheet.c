/* A contact sheet for the README, made with libaugment itself: each image
 * scaled to fit a tile (PIL's bilinear resize, aug_resample), centred on
 * white, the tiles in rows with a white gutter.
 *
 *   contact_sheet OUT.png COLUMNS TILE_W TILE_H IMAGE...
 *
 * Built and run by examples/demo.sh (make demo). */
#include <stdio.h>
#include <stdlib.h>

#include <augment/augment.h>

#define GUTTER 6

static int die(const char *what, const aug_error *err)
{
    fprintf(stderr, "contact_sheet: %s: %s\n", what, err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: contact_sheet OUT.png COLUMNS TILE_W TILE_H IMAGE...\n");
        return 2;
    }
    int cols = atoi(argv[2]), tw = atoi(argv[3]), th = atoi(argv[4]), n = argc - 5;
    if (cols < 1 || tw < 1 || th < 1)
        return 2;
    int rows = (n + cols - 1) / cols;
    aug_image sheet;
    aug_error err;
    if (aug_image_alloc(&sheet, GUTTER + cols * (tw + GUTTER), GUTTER + rows * (th + GUTTER), 3,
                        &err))
        return die("sheet", &err);
    for (size_t i = 0; i < aug_image_size(&sheet); i++)
        sheet.data[i] = 255;
    for (int k = 0; k < n; k++) {
        aug_image img = {0}, rgb = {0}, fit = {0}, tile = {0};
        if (aug_load(argv[5 + k], 0, &img, NULL, &err))
            return die(argv[5 + k], &err);
        if (aug_convert(&img, &rgb, 3, &err))
            return die(argv[5 + k], &err);
        /* the largest size with the image's aspect that fits the tile */
        int w = tw, h = (int)((double)rgb.height * tw / rgb.width + 0.5);
        if (h > th) {
            h = th;
            w = (int)((double)rgb.width * th / rgb.height + 0.5);
        }
        aug_resample_params p;
        aug_resample_params_default(&p);
        const uint8_t white[4] = {255, 255, 255, 255};
        if (aug_resample(&rgb, &fit, w < 1 ? 1 : w, h < 1 ? 1 : h, &p, &err) ||
            aug_crop(&fit, &tile, -(tw - fit.width) / 2, -(th - fit.height) / 2, tw, th,
                     AUG_BORDER_CONSTANT, white, &err))
            return die(argv[5 + k], &err);
        int x0 = GUTTER + (k % cols) * (tw + GUTTER), y0 = GUTTER + (k / cols) * (th + GUTTER);
        for (int y = 0; y < th; y++)
            for (int x = 0; x < tw * 3; x++)
                sheet.data[((size_t)(y0 + y) * sheet.width + x0) * 3 + x] =
                    tile.data[(size_t)y * tw * 3 + x];
        aug_image_free(&img);
        aug_image_free(&rgb);
        aug_image_free(&fit);
        aug_image_free(&tile);
    }
    if (aug_save(&sheet, argv[1], AUG_FMT_PNG, 0, &err))
        return die(argv[1], &err);
    aug_image_free(&sheet);
    return 0;
}
