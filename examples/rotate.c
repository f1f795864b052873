/* Rotate an image by a random angle and write it as PNG, with libaugment.
 *
 *   cc rotate.c $(pkg-config --cflags --libs augment) -o rotate
 *   ./rotate examples/photos/chelsea.png rotated.png
 *
 * The angle is drawn from the stream of (seed 42, the file's name, copy 0):
 * the same file always gets the same angle, as with the command-line tool. */
#include <stdio.h>

#include <augment/augment.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INPUT OUTPUT.png\n", argv[0]);
        return 2;
    }
    aug_image img = {0}, out = {0};
    aug_error err;
    aug_rng rng;
    aug_rotate_params p;

    aug_rng_derive(&rng, 42, argv[1], 0); /* seed, key, copy index */
    aug_rotate_params_default(&p);
    p.angle = aug_rng_range(&rng, -10, 10);

    int rc = 0;
    if (aug_load(argv[1], 0, &img, NULL, &err) ||     /* 0: the default pixel cap */
        aug_rotate(&img, &out, &p, &err) ||
        aug_save(&out, argv[2], AUG_FMT_PNG, 0, &err)) {
        fprintf(stderr, "%s: %s\n", argv[1], err.msg);
        rc = 1;
    } else {
        printf("%s: rotated by %.3f degrees into %s (%dx%d)\n", argv[1], p.angle, argv[2],
               out.width, out.height);
    }
    aug_image_free(&img);
    aug_image_free(&out);
    return rc;
}
