/* augment — label files: YOLO text (boxes and poses), its class lists
 * (classes.txt, data.yaml), and COCO JSON (boxes, polygons, RLE masks,
 * keypoints), read into aug_labels (labels.h) and written back.
 *
 * Readers report bad labels with one line that names the file and the
 * line (YOLO) or the annotation id (COCO). Numbers are read and written
 * independently of the locale; written numbers are the shortest text that
 * reads back to the same double, so the bytes of a file depend on the
 * labels alone. JSON goes through jansson, YAML through libyaml. */
#ifndef AUGMENT_LABELFILE_H
#define AUGMENT_LABELFILE_H

#include <stddef.h>
#include <stdint.h>
#include "augment/error.h"
#include "augment/labels.h"
#include "augment/ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- YOLO ---- */
/* What the class list says: how many classes (-1: no list), the pose
 * layout (data.yaml's kpt_shape: points per object and 2 or 3 values
 * each; 0 when not given) and flip_idx (the left/right permutation). */
typedef struct aug_yolo_meta {
    long nclasses;
    int kpt_n, kpt_dims;
    int *flip;
    size_t nflip;
} aug_yolo_meta;

void aug_yolo_meta_free(aug_yolo_meta *m);
/* classes.txt: one name per line (blank lines at the end ignored). */
aug_status aug_yolo_read_classes(const char *path, aug_yolo_meta *m, aug_error *err);
/* data.yaml: names (a list or a map of ids), nc, kpt_shape, flip_idx. */
aug_status aug_yolo_read_yaml(const char *path, aug_yolo_meta *m, aug_error *err);

/* Read the lines "class xc yc w h [px py [v]]..." of `name` (len bytes of
 * text) for a w x h image: normalised values in 0..1, class ids below
 * m->nclasses when known. An object's id is its line number and its tag
 * the line's byte offset (for writing it back as it was). `flip`, when
 * not NULL, is every pose's left/right table of `nflip` entries; a pose
 * with more points than that is an error naming the line. */
aug_status aug_yolo_parse(const char *text, size_t len, const char *name, int w, int h,
                          const aug_yolo_meta *m, const int *flip, size_t nflip,
                          aug_labels *out, aug_error *err);
/* One line per object for a w x h image; objects not moved are the
 * source's own lines (when `src` is given). `weight` adds a last column
 * with each object's weight (mixup). Pose points have kpt_dims values
 * (2 or 3; 3 when 0). */
aug_status aug_yolo_format(const aug_labels *l, int w, int h, const char *src, int kpt_dims,
                           int weight, aug_buf *out, aug_error *err);

/* ---- COCO ---- */
typedef struct aug_coco aug_coco;

/* Load and check a COCO file: its images (id, file_name, width, height),
 * annotations (id, image_id, category_id; bbox, segmentation, keypoints)
 * and categories. A syntax error is "FILE: line L, column C: ..." and
 * fails; an annotation that is wrong fails the image it belongs to (see
 * aug_coco_image_error), and one whose image_id is not among the images
 * is listed in aug_coco_orphans. `flip`: a left/right table for every
 * category with keypoints, instead of each category's own (flip_pairs, or
 * its keypoint names paired left_/right_). */
aug_status aug_coco_load(const char *path, const int *flip, size_t nflip, aug_coco **out,
                         aug_error *err);
void aug_coco_free(aug_coco *c);
/* Messages for annotations whose image is missing (NULL after the last). */
const char *aug_coco_orphan(const aug_coco *c, size_t i);
/* The image whose file_name is `rel` ("./" and leading "/" ignored);
 * (size_t)-1 when none. */
size_t aug_coco_find(const aug_coco *c, const char *rel);
/* Image i's objects, for an image of w x h (its entry must agree). An
 * error of one of its annotations fails here, naming the annotation. */
aug_status aug_coco_labels(const aug_coco *c, size_t i, int w, int h, aug_labels *out,
                           aug_error *err);
/* The image's id, for output ids. */
int64_t aug_coco_image_id(const aug_coco *c, size_t i);

/* The output document, built one image at a time in any order: an image
 * of the output with its id, file name, size, the input image it comes
 * from (its other fields are kept) and its labels (their tags name the
 * annotations whose other fields are kept). */
typedef struct aug_coco_out aug_coco_out;
aug_status aug_coco_out_new(const aug_coco *src, aug_coco_out **out, aug_error *err);
aug_status aug_coco_out_add(aug_coco_out *o, int64_t id, const char *file_name, int w, int h,
                            size_t src_image, const aug_labels *l, int weight, aug_error *err);
/* Write it: images sorted by id, annotations in that order numbered from
 * 1, the input's other parts (info, licenses, categories, ...) as they
 * were. Atomic. */
aug_status aug_coco_out_write(aug_coco_out *o, const char *path, aug_error *err);
void aug_coco_out_free(aug_coco_out *o);
/* Merge files written by aug_coco_out_write (one per shard) into one:
 * the same bytes as a single run writes. Their other parts must agree;
 * an image id twice is an error. */
aug_status aug_coco_merge(const char *const *paths, size_t n, const char *out, aug_error *err);

/* ---- COCO's run-length masks (column-major) ---- */
/* "counts" as text (COCO's compressed form) or as numbers into a w x h
 * 0/1 mask; and back. */
aug_status aug_rle_decode_string(const char *s, int w, int h, aug_image *mask, aug_error *err);
aug_status aug_rle_decode_counts(const uint32_t *counts, size_t n, int w, int h,
                                 aug_image *mask, aug_error *err);
aug_status aug_rle_encode(const aug_image *mask, uint32_t **counts, size_t *n, aug_error *err);
aug_status aug_rle_encode_string(const uint32_t *counts, size_t n, aug_buf *out);

#ifdef __cplusplus
}
#endif
#endif
