/* PNG page images: libpng directly from a cairo image surface (cairo's
 * own PNG writer measured 3-4x slower here). */
#include "paint/png.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct S_png {
  quire__out *out;
  unsigned char *row; /* one RGB row */
  int rc;
} S_png;

static void S_write(png_structp png, png_bytep data, png_size_t len) {
  S_png *s = png_get_io_ptr(png);
  quire__out_write(s->out, data, len);
  if (s->out->err) {
    s->rc = s->out->err;
    /* Unwinds only to quire__png_encode's setjmp: libpng's frames and this
     * callback, which holds nothing. */
    png_error(png, "write failed");
  }
}

static void S_flush(png_structp png) { (void)png; }

static void S_error(png_structp png, png_const_charp msg) {
  (void)msg;
  png_longjmp(png, 1);
}

static void S_warning(png_structp png, png_const_charp msg) {
  (void)png;
  (void)msg;
}

int quire__png_encode(cairo_surface_t *image, quire__out *out) {
  int w = cairo_image_surface_get_width(image);
  int h = cairo_image_surface_get_height(image);
  int stride = cairo_image_surface_get_stride(image);
  const unsigned char *data = cairo_image_surface_get_data(image);
  if (!data || w <= 0 || h <= 0)
    return QUIRE_ENOMEM;
  /* volatile: read after the longjmp back into this frame. */
  S_png s = {out, NULL, 0};
  S_png *volatile sp = &s;
  sp->row = quire__malloc((size_t)w * 3);
  if (!sp->row)
    return QUIRE_ENOMEM;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, sp, S_error, S_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (!png || !info) {
    png_destroy_write_struct(&png, NULL);
    free(sp->row);
    return QUIRE_ENOMEM;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    free(sp->row);
    return sp->rc ? sp->rc : QUIRE_EIO;
  }
  png_set_write_fn(png, sp, S_write, S_flush);
  /* Pages are mostly flat colour: the SUB filter and a middling zlib level
   * give nearly the smallest files for a fraction of the time. */
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
  png_set_compression_level(png, 6);
  png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
               PNG_FILTER_TYPE_BASE);
  png_write_info(png, info);
  for (int y = 0; y < h; y++) {
    const uint32_t *src =
        (const uint32_t *)(const void *)(data + (size_t)y * stride);
    unsigned char *d = sp->row;
    /* CAIRO_FORMAT_RGB24: native-endian 0x00RRGGBB words. */
    for (int x = 0; x < w; x++) {
      uint32_t px = src[x];
      *d++ = (unsigned char)(px >> 16);
      *d++ = (unsigned char)(px >> 8);
      *d++ = (unsigned char)px;
    }
    png_write_row(png, sp->row);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  free(sp->row);
  return sp->rc;
}
