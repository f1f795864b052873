/* Internal: the stb declarations, for src/io/codec.c only. */
#ifndef AUGMENT_IO_STB_IMPL_H
#define AUGMENT_IO_STB_IMPL_H

#include <limits.h>

#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#endif
