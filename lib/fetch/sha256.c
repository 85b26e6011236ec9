/* SHA-256 (FIPS 180-4) and HMAC (RFC 2104), for webhook signatures. Our own
 * small copy so that libquire needs no crypto library; the FIPS 180-2 and
 * RFC 4231 vectors in tests/unit/test_fetch_webhook.c pin it down. */
#include "fetch.h"

#include <string.h>

static const uint32_t S_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define S_ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void S_block(quire__sha256 *s, const unsigned char *p) {
  uint32_t w[64], a, b, c, d, e, f, g, h;
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = S_ROR(w[i - 15], 7) ^ S_ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = S_ROR(w[i - 2], 17) ^ S_ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
  e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (S_ROR(e, 6) ^ S_ROR(e, 11) ^ S_ROR(e, 25)) +
                  ((e & f) ^ (~e & g)) + S_k[i] + w[i];
    uint32_t t2 = (S_ROR(a, 2) ^ S_ROR(a, 13) ^ S_ROR(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    h = g, g = f, f = e, e = d + t1;
    d = c, c = b, b = a, a = t1 + t2;
  }
  s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
  s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

void quire__sha256_init(quire__sha256 *s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                 0xa54ff53a, 0x510e527f, 0x9b05688c,
                                 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, iv, sizeof iv);
  s->bytes = 0;
  s->n = 0;
}

void quire__sha256_update(quire__sha256 *s, const void *data, size_t len) {
  const unsigned char *p = data;
  s->bytes += len;
  if (s->n) {
    size_t take = 64 - s->n < len ? 64 - s->n : len;
    memcpy(s->blk + s->n, p, take);
    s->n += take;
    p += take;
    len -= take;
    if (s->n < 64)
      return;
    S_block(s, s->blk);
    s->n = 0;
  }
  for (; len >= 64; p += 64, len -= 64)
    S_block(s, p);
  if (len)
    memcpy(s->blk, p, len);
  s->n = len;
}

void quire__sha256_final(quire__sha256 *s, unsigned char out[32]) {
  uint64_t bits = s->bytes * 8;
  unsigned char pad[72] = {0x80};
  size_t padlen = (s->n < 56 ? 56 : 120) - s->n;
  for (int i = 0; i < 8; i++)
    pad[padlen + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
  quire__sha256_update(s, pad, padlen + 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (unsigned char)(s->h[i] >> 24);
    out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
    out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
    out[4 * i + 3] = (unsigned char)s->h[i];
  }
  quire__wipe(s, sizeof *s);
}

void quire__hmac_init(quire__hmac *h, const void *key, size_t key_len) {
  unsigned char k[64] = {0}, ipad[64];
  if (key_len > 64) { /* RFC 2104: long keys are hashed first */
    quire__sha256 t;
    quire__sha256_init(&t);
    quire__sha256_update(&t, key, key_len);
    quire__sha256_final(&t, k);
  } else if (key_len) {
    memcpy(k, key, key_len);
  }
  for (int i = 0; i < 64; i++) {
    ipad[i] = k[i] ^ 0x36;
    h->opad[i] = k[i] ^ 0x5c;
  }
  quire__sha256_init(&h->inner);
  quire__sha256_update(&h->inner, ipad, 64);
  quire__wipe(k, sizeof k);
  quire__wipe(ipad, sizeof ipad);
}

void quire__hmac_update(quire__hmac *h, const void *data, size_t len) {
  quire__sha256_update(&h->inner, data, len);
}

void quire__hmac_final(quire__hmac *h, unsigned char out[32]) {
  unsigned char ih[32];
  quire__sha256 outer;
  quire__sha256_final(&h->inner, ih);
  quire__sha256_init(&outer);
  quire__sha256_update(&outer, h->opad, 64);
  quire__sha256_update(&outer, ih, 32);
  quire__sha256_final(&outer, out);
  quire__wipe(h, sizeof *h);
  quire__wipe(ih, sizeof ih);
}

void quire__hmac_sha256(unsigned char out[32], const void *key, size_t key_len,
                        const void *msg, size_t msg_len) {
  quire__hmac h;
  quire__hmac_init(&h, key, key_len);
  quire__hmac_update(&h, msg, msg_len);
  quire__hmac_final(&h, out);
}

int quire__ct_equal(const void *a, const void *b, size_t len) {
  const volatile unsigned char *x = a, *y = b;
  unsigned char d = 0;
  for (size_t i = 0; i < len; i++)
    d |= x[i] ^ y[i];
  return d == 0;
}

void quire__wipe(void *p, size_t len) {
  volatile unsigned char *v = p;
  while (len--)
    *v++ = 0;
}
