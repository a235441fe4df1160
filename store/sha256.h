/* sha256.h -- SHA-256 of a byte string, for the content hash of stored
 * documents. Private to store/ (prefix stop_). */
#ifndef STOP_SHA256_H
#define STOP_SHA256_H

#include <stddef.h>

/** Write the lower-case hex SHA-256 of `len` bytes at `data` into `hex`
 *  (65 bytes: 64 digits and a NUL). Nothing is allocated. */
void stop_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
