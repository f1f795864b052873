/* augment — labels that move with the image: boxes, polygons, keypoints
 * and masks, through the same plan (ops.h) as the pixels.
 *
 * Coordinates are continuous pixel coordinates of the image (pixel i
 * spans [i, i+1)), whatever the file format said (YOLO's normalised
 * centres, COCO's corners): the readers convert (src/io/labels_*.c).
 *
 * A plan's geometric steps move points (aug_op.map_points); a box becomes
 * the polygon of its 4 corners (box method "largest") or of 360 points on
 * its inscribed ellipse ("ellipse"), polygons stay polygons, and after
 * every step each outline is clipped to that step's canvas, so what a crop
 * cut off never comes back with a later pad. The box at the end is the
 * box around what is left. Keypoints that leave a canvas are lost
 * (v = 0). Object masks (COCO's RLE) go through aug_plan_apply_mask.
 * Nothing here reads or writes files. */
#ifndef AUGMENT_LABELS_H
#define AUGMENT_LABELS_H

#include <stddef.h>
#include "augment/error.h"
#include "augment/image.h"
#include "augment/ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* COCO's triplet: v 0 = not labelled (x, y meaningless, never moved),
 * 1 = labelled but hidden, 2 = visible. */
typedef struct aug_keypoint {
    double x, y;
    int v;
} aug_keypoint;

/* A closed outline of n vertices, x y pairs (malloc'd). */
typedef struct aug_polygon {
    double *xy;
    size_t n;
} aug_polygon;

typedef struct aug_object {
    long cls;              /* class id (YOLO) or category id (COCO) */
    double box[4];         /* x, y, w, h */
    double area;           /* COCO's area: polygons', mask's pixels or the box's */
    aug_polygon *polys;    /* segmentation outlines; the box then follows them exactly */
    size_t npolys;
    aug_keypoint *kps;
    size_t nkps;
    const int *flip;       /* after a mirror, keypoint i takes keypoint flip[i]
                              (left/right pairs); NULL: none (borrowed) */
    aug_image mask;        /* an object's own mask of the image's size (COCO
                              RLE, 0 or 1), or empty */
    double weight;         /* 1; mixup gives each image's objects its share */
    long long id;          /* what messages and the manifest name it by: the
                              file's line (YOLO) or the annotation id (COCO) */
    size_t tag;            /* the reader's own reference (which annotation) */
    int moved;             /* the geometry was changed (else the reader may
                              write the object back exactly as it read it) */
} aug_object;

typedef struct aug_labels {
    aug_object *obj;
    size_t n, cap;
    long long *dropped;    /* ids of the objects a transform removed, in order */
    size_t ndropped, dcap;
} aug_labels;

void aug_object_free(aug_object *o);
void aug_labels_free(aug_labels *l);
/* Append *o, taking its arrays (*o is emptied, also on failure, when they
 * are freed). */
aug_status aug_labels_add(aug_labels *l, aug_object *o, aug_error *err);
/* A deep copy of src's objects appended to dst. */
aug_status aug_labels_append_copy(aug_labels *dst, const aug_labels *src, aug_error *err);

typedef enum aug_box_method {
    AUG_BOX_LARGEST = 0, /* the box around the 4 moved corners (albumentations' default) */
    AUG_BOX_ELLIPSE      /* around the moved inscribed ellipse: tighter under rotation */
} aug_box_method;

/* albumentations' BboxParams: an object is dropped when its clipped box
 * is empty, smaller than min_area (px^2) or min_size (px, either side),
 * or keeps less than min_visibility of the area it would have unclipped. */
typedef struct aug_label_params {
    aug_box_method box_method;
    double min_visibility, min_area, min_size;
    aug_mask_opts mask;    /* for object masks: erase only with mask.erase */
} aug_label_params;

void aug_label_params_default(aug_label_params *p);

/* Move the labels of one image through plan p (drawn for that image's
 * geometry): in place; dropped objects leave l->obj and their ids go to
 * l->dropped. Objects of a plan that moves nothing stay untouched. Under
 * an odd number of mirrors, keypoints are permuted by their flip table. */
aug_status aug_labels_transform(const aug_plan *p, const aug_label_params *lp, aug_labels *l,
                                aug_error *err);

/* ---- for the image-set methods (mixup, CutMix) ---- */
/* Scale every coordinate by sx, sy (a partner resized to A's size; object
 * masks resized nearest to w x h). */
aug_status aug_labels_scale(aug_labels *l, double sx, double sy, int w, int h, aug_error *err);
/* Keep what lies inside the rectangle r (x, y, w, h; CutMix's pasted
 * region): outlines clipped to it, keypoints outside lost, masks cleared
 * outside, then filtered as aug_labels_transform does. With `outside`, the
 * opposite: objects are kept whole, but dropped when the part of their box
 * outside r is empty or below min_visibility (the patch hides them). */
aug_status aug_labels_keep_rect(aug_labels *l, const double r[4], int outside,
                                const aug_label_params *lp, aug_error *err);

/* ---- geometry helpers (also for tests) ---- */
/* Shoelace area (absolute) of a closed outline. */
double aug_polygon_area(const double *xy, size_t n);
/* The points of a box as an outline for the method: 4 corners from the
 * top-left clockwise on screen, or 360 points on the inscribed ellipse at
 * whole degrees. xy has room for 720 doubles; returns the count. */
size_t aug_box_outline(const double box[4], aug_box_method m, double *xy);

#ifdef __cplusplus
}
#endif
#endif
