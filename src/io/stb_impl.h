/* Internal: stb_image and stb_image_write, compiled once in stb_impl.c
 * with every stb function static (so that a program linking libaugment.a
 * and its own copy of stb does not clash), reached through these. */
#ifndef AUGMENT_IO_STB_IMPL_H
#define AUGMENT_IO_STB_IMPL_H

#include <stdint.h>

typedef void aug_stb_write_fn(void *ctx, void *data, int size);

int aug_stb_info(const uint8_t *buf, int len, int *w, int *h, int *comp);
int aug_stb_is_16_bit(const uint8_t *buf, int len);
/* Pixels as stored (comp channels), malloc'd; NULL on failure. */
uint8_t *aug_stb_load(const uint8_t *buf, int len, int *w, int *h, int *comp);
/* 1 when the last stb call on this thread failed for want of memory (and
 * forget it). */
int aug_stb_ran_out_of_memory(void);
/* Why the last call on this thread failed. */
const char *aug_stb_failure_reason(void);
int aug_stb_write_bmp(aug_stb_write_fn *fn, void *ctx, int w, int h, int comp, const void *data);
int aug_stb_write_tga(aug_stb_write_fn *fn, void *ctx, int w, int h, int comp, const void *data);

#endif
