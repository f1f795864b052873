/* The label readers: YOLO text (boxes and poses) with its class lists
 * (classes.txt, data.yaml) and COCO JSON (boxes, polygons, keypoints, RLE
 * masks). Bytes in, labels or one clear error out, never a crash; what was
 * read goes through a small drawn plan (a chain picked by the input) and is
 * written back, and what is written must read back.
 *
 * Input: byte 0 picks the reader (mod 4: YOLO with classes.txt, YOLO with
 * data.yaml, YOLO alone, COCO), byte 1 the chain, byte 2 the label
 * parameters; then for YOLO "CLASSLIST\0LABELS", for COCO the JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "augment/augment.h"
#include "augment/labelfile.h"
#include "augment/labels.h"

static const char *const chains[] = {
    "flip",
    "flip --vertical",
    "rotate90 --angles 90",
    "rotate90 --angles 270",
    "crop --size 7x5 --position 2,1",
    "crop --size 40x40 --pad-if-needed",
    "pad --pad 3,1,0,2",
    "resize --size 9x13",
    "rotate --angle 33",
    "rotate --angle -20 --expand",
    "affine --degrees 30 --translate 0.2,0.2 --scale 0.5:1.5 --shear 10",
    "perspective",
    "elastic",
    "random-resized-crop --size 8x6",
    "erase --count 2",
    "flip | rotate --angle 10 | crop --size 6x6 --position random | pad --pad 1",
    "one-of { flip | rotate90 } | noise --sigma 3",
};
#define NCHAINS (sizeof chains / sizeof *chains)

/* One temporary file per process, rewritten for each input. */
static char tmp_in[64], tmp_out[64];

static int put_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static void tmp_names(void)
{
    if (tmp_in[0])
        return;
    snprintf(tmp_in, sizeof tmp_in, "/tmp/fuzz_labels_in_%ld", (long)getpid());
    snprintf(tmp_out, sizeof tmp_out, "/tmp/fuzz_labels_out_%ld", (long)getpid());
}

/* A failure says why; after a plan that moves points, every box is inside
 * the image (a box read past the edge is kept as read by a plan that moves
 * nothing: found by this target, tests/unit/test_labelfile.c). */
static void check(aug_status st, const aug_error *err)
{
    if (st && !err->msg[0])
        abort();
}

static void check_inside(const aug_labels *l, int w, int h)
{
    for (size_t i = 0; i < l->n; i++) {
        const double *b = l->obj[i].box;
        if (!(b[0] >= -1e-6 && b[1] >= -1e-6 && b[2] >= 0 && b[3] >= 0 &&
              b[0] + b[2] <= w + 1e-6 && b[1] + b[3] <= h + 1e-6))
            abort();
    }
}

static aug_status draw(const aug_chain *c, int w, int h, uint64_t copy, aug_plan **p,
                       aug_error *err)
{
    aug_geom g = {w, h, 3};
    return aug_chain_draw(c, 7, "a.png", copy, &g, p, err);
}

static void fuzz_yolo(const uint8_t *data, size_t size, int which, const aug_chain *chain,
                      const aug_label_params *lp)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t head = nul ? (size_t)(nul - data) : 0;
    const uint8_t *text = nul ? nul + 1 : data;
    size_t len = size - (size_t)(text - data);
    aug_yolo_meta meta = {-1, 0, 0, NULL, 0};
    aug_error err = {0};
    if (which < 2) {
        if (put_file(tmp_in, data, head))
            return;
        aug_status st = which == 0 ? aug_yolo_read_classes(tmp_in, &meta, &err)
                                   : aug_yolo_read_yaml(tmp_in, &meta, &err);
        check(st, &err);
        if (st) {
            aug_yolo_meta_free(&meta);
            return;
        }
    }
    char *s = malloc(len + 1);
    if (!s) {
        aug_yolo_meta_free(&meta);
        return;
    }
    memcpy(s, text, len);
    s[len] = '\0';
    int w = 5 + (int)(size % 40), h = 3 + (int)(size % 29);
    const int *flip = meta.flip && (int)meta.nflip == meta.kpt_n ? meta.flip : NULL;
    aug_labels l = {0};
    aug_status st = aug_yolo_parse(s, len, "a.txt", w, h, &meta, flip, meta.nflip, &l, &err);
    check(st, &err);
    if (!st) {
        /* written back unmoved: the same objects read again */
        aug_buf out = {0};
        if (aug_yolo_format(&l, w, h, s, meta.kpt_dims, 0, &out, &err) == AUG_OK) {
            aug_labels again = {0};
            if (aug_yolo_parse(out.data ? out.data : "", out.len, "b.txt", w, h, &meta, flip,
                               meta.nflip, &again, &err) != AUG_OK || again.n != l.n)
                abort();
            aug_labels_free(&again);
        }
        aug_buf_free(&out);
        aug_plan *p = NULL;
        if (draw(chain, w, h, size, &p, &err) == AUG_OK) {
            aug_geom og;
            aug_plan_geometry(p, &og);
            st = aug_labels_transform(p, lp, &l, &err);
            check(st, &err);
            if (!st) {
                if (aug_plan_moves_points(p))
                    check_inside(&l, og.width, og.height);
                aug_buf moved = {0};
                if (aug_yolo_format(&l, og.width, og.height, NULL, meta.kpt_dims, size & 1,
                                    &moved, &err) == AUG_OK && !(size & 1)) {
                    aug_labels again = {0};
                    if (aug_yolo_parse(moved.data ? moved.data : "", moved.len, "c.txt",
                                       og.width, og.height, &meta, flip, meta.nflip, &again,
                                       &err) != AUG_OK)
                        abort(); /* what is written reads back */
                    aug_labels_free(&again);
                }
                aug_buf_free(&moved);
            }
            aug_plan_free(p);
        }
    }
    aug_labels_free(&l);
    free(s);
    aug_yolo_meta_free(&meta);
}

static void fuzz_coco(const uint8_t *data, size_t size, const aug_chain *chain,
                      const aug_label_params *lp)
{
    if (put_file(tmp_in, data, size))
        return;
    aug_coco *c = NULL;
    aug_error err = {0};
    aug_status st = aug_coco_load(tmp_in, NULL, 0, &c, &err);
    check(st, &err);
    if (st)
        return;
    for (size_t i = 0; aug_coco_orphan(c, i); i++)
        if (!aug_coco_orphan(c, i)[0])
            abort();
    /* the images as the file lists them (their sizes and names) */
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    json_t *images = json_object_get(doc, "images");
    aug_coco_out *o = NULL;
    if (aug_coco_out_new(c, &o, &err) != AUG_OK) {
        json_decref(doc);
        aug_coco_free(c);
        return;
    }
    size_t added = 0;
    for (size_t k = 0; k < json_array_size(images) && k < 8; k++) {
        json_t *im = json_array_get(images, k);
        const char *name = json_string_value(json_object_get(im, "file_name"));
        json_int_t w = json_integer_value(json_object_get(im, "width"));
        json_int_t h = json_integer_value(json_object_get(im, "height"));
        if (!name || w < 1 || h < 1 || w > 256 || h > 256)
            continue;
        size_t i = aug_coco_find(c, name);
        if (i == (size_t)-1)
            continue;
        aug_labels l = {0};
        st = aug_coco_labels(c, i, (int)w, (int)h, &l, &err);
        check(st, &err);
        aug_plan *p = NULL;
        if (!st && draw(chain, (int)w, (int)h, k, &p, &err) == AUG_OK) {
            aug_geom og;
            aug_plan_geometry(p, &og);
            st = aug_labels_transform(p, lp, &l, &err);
            check(st, &err);
            if (!st) {
                if (aug_plan_moves_points(p))
                    check_inside(&l, og.width, og.height);
                if (aug_coco_out_add(o, aug_coco_image_id(c, i) * 2 + 1, "x.png", og.width,
                                     og.height, i, &l, size & 1, &err) == AUG_OK)
                    added++;
            }
            aug_plan_free(p);
        }
        aug_labels_free(&l);
    }
    /* what is written reads back, with every image it lists */
    if (added && aug_coco_out_write(o, tmp_out, &err) == AUG_OK) {
        aug_coco *again = NULL;
        if (aug_coco_load(tmp_out, NULL, 0, &again, &err) != AUG_OK)
            abort();
        aug_coco_free(again);
        unlink(tmp_out);
    }
    aug_coco_out_free(o);
    json_decref(doc);
    aug_coco_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static aug_chain *parsed[NCHAINS];
    if (size < 3 || size > 8192)
        return 0;
    tmp_names();
    size_t ci = data[1] % NCHAINS;
    aug_error err;
    if (!parsed[ci] && aug_chain_parse(chains[ci], NULL, &parsed[ci], &err) != AUG_OK)
        abort(); /* the chains above are valid */
    aug_label_params lp;
    aug_label_params_default(&lp);
    lp.box_method = data[2] & 1 ? AUG_BOX_ELLIPSE : AUG_BOX_LARGEST;
    lp.min_visibility = (data[2] >> 1 & 3) * 0.25;
    lp.min_area = data[2] & 8 ? 4 : 0;
    lp.min_size = data[2] & 16 ? 1.5 : 0;
    lp.mask.erase = (data[2] & 32) != 0;
    int which = data[0] % 4;
    if (which < 3)
        fuzz_yolo(data + 3, size - 3, which, parsed[ci], &lp);
    else
        fuzz_coco(data + 3, size - 3, parsed[ci], &lp);
    unlink(tmp_in);
    return 0;
}
