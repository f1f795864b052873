/* Pictures of labels for the README, with libaugment's loader and writer:
 *
 *   label_view mask IMAGE LABELS.txt OUT.png
 *       a segmentation mask of IMAGE's size: each YOLO box's inscribed
 *       ellipse filled with its class + 1 (how the demo's hand-made boxes
 *       get a mask to move along);
 *   label_view draw IMAGE LABELS.txt MASK.png OUT.png
 *       IMAGE with the mask tinted over it (its value picks the colour) and
 *       each YOLO box outlined in its class's colour.
 *
 * Built and run by examples/demo.sh (make demo). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <augment/augment.h>

static const uint8_t colours[4][3] = {{255, 40, 40}, {40, 220, 60}, {60, 120, 255}, {255, 220, 0}};

static int die(const char *what, const char *why)
{
    fprintf(stderr, "label_view: %s: %s\n", what, why);
    return 1;
}

/* The boxes of a YOLO file, in pixels of a w x h image. */
typedef struct box {
    int cls;
    double x0, y0, x1, y1;
} box;

static int read_boxes(const char *path, int w, int h, box *b, int max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int n = 0, cls;
    double xc, yc, bw, bh;
    char line[4096];
    while (n < max && fgets(line, sizeof line, f))
        if (sscanf(line, "%d %lf %lf %lf %lf", &cls, &xc, &yc, &bw, &bh) == 5)
            b[n++] = (box){cls, (xc - bw / 2) * w, (yc - bh / 2) * h, (xc + bw / 2) * w,
                           (yc + bh / 2) * h};
    fclose(f);
    return n;
}

static void put(aug_image *img, int x, int y, const uint8_t *c)
{
    if (x < 0 || y < 0 || x >= img->width || y >= img->height)
        return;
    memcpy(img->data + ((size_t)y * img->width + x) * 3, c, 3);
}

int main(int argc, char **argv)
{
    int draw = argc == 6 && strcmp(argv[1], "draw") == 0;
    if (!draw && !(argc == 5 && strcmp(argv[1], "mask") == 0)) {
        fprintf(stderr, "usage: label_view mask IMAGE LABELS.txt OUT.png\n"
                        "       label_view draw IMAGE LABELS.txt MASK.png OUT.png\n");
        return 2;
    }
    aug_image img = {0}, rgb = {0}, mask = {0};
    aug_error err;
    if (aug_load(argv[2], 0, &img, NULL, &err))
        return die(argv[2], err.msg);
    box b[256];
    int n = read_boxes(argv[3], img.width, img.height, b, 256);
    if (n < 0)
        return die(argv[3], "cannot read");
    const char *out = argv[draw ? 5 : 4];
    if (!draw) {
        if (aug_image_alloc(&mask, img.width, img.height, 1, &err))
            return die(out, err.msg);
        memset(mask.data, 0, aug_image_size(&mask));
        for (int i = 0; i < n; i++) {
            double cx = (b[i].x0 + b[i].x1) / 2, cy = (b[i].y0 + b[i].y1) / 2;
            double rx = (b[i].x1 - b[i].x0) / 2, ry = (b[i].y1 - b[i].y0) / 2;
            for (int y = 0; y < mask.height; y++)
                for (int x = 0; x < mask.width; x++) {
                    double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
                    if (dx * dx + dy * dy <= 1)
                        mask.data[(size_t)y * mask.width + x] = (uint8_t)(b[i].cls + 1);
                }
        }
        if (aug_save(&mask, out, AUG_FMT_PNG, 0, &err))
            return die(out, err.msg);
    } else {
        if (aug_convert(&img, &rgb, 3, &err))
            return die(argv[2], err.msg);
        if (aug_load(argv[4], 0, &mask, NULL, &err))
            return die(argv[4], err.msg);
        if (mask.width != rgb.width || mask.height != rgb.height)
            return die(argv[4], "not the image's size");
        /* the mask: half its class's colour over the photo */
        for (size_t p = 0; p < (size_t)rgb.width * rgb.height; p++) {
            uint8_t v = mask.data[p * mask.channels];
            if (!v)
                continue;
            const uint8_t *c = colours[(v - 1) % 4];
            for (int k = 0; k < 3; k++)
                rgb.data[3 * p + k] = (uint8_t)((rgb.data[3 * p + k] + c[k] + 1) / 2);
        }
        /* the boxes: 3 px outlines just inside them */
        for (int i = 0; i < n; i++) {
            const uint8_t *c = colours[b[i].cls % 4];
            int x0 = (int)(b[i].x0 + 0.5), y0 = (int)(b[i].y0 + 0.5);
            int x1 = (int)(b[i].x1 + 0.5) - 1, y1 = (int)(b[i].y1 + 0.5) - 1;
            for (int t = 0; t < 3; t++) {
                for (int x = x0; x <= x1; x++) {
                    put(&rgb, x, y0 + t, c);
                    put(&rgb, x, y1 - t, c);
                }
                for (int y = y0; y <= y1; y++) {
                    put(&rgb, x0 + t, y, c);
                    put(&rgb, x1 - t, y, c);
                }
            }
        }
        if (aug_save(&rgb, out, AUG_FMT_PNG, 0, &err))
            return die(out, err.msg);
    }
    aug_image_free(&img);
    aug_image_free(&rgb);
    aug_image_free(&mask);
    return 0;
}
