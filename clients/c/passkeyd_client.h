/*
 * passkeyd_client: a tiny blocking client for the passkeyd v1 wire protocol (see Protos/README.md).
 *
 * A frame is 1 flag byte (0), a 4-byte big-endian length, then a protobuf payload: passkeyd.v1.Request from the
 * client, passkeyd.v1.Response from the server. This library only moves frames; building requests and matching
 * responses to them by id (responses may arrive out of order) is the caller's job.
 *
 * No global state: everything lives in a caller-owned pkd_conn. A pkd_conn must not be used by two threads at the
 * same time; use one connection per thread (or your own lock).
 *
 * Every function returning int returns 0 (or a non-negative value where documented) on success and a negative code on
 * failure: either -errno (e.g. -ECONNREFUSED, -ETIMEDOUT) or one of the PKD_E_* codes below. pkd_strerror() names both.
 */
#ifndef PASSKEYD_CLIENT_H
#define PASSKEYD_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "passkeyd/v1/passkeyd.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library-specific error codes; all are below -4095 so they never collide with -errno. */
enum {
    PKD_OK = 0,
    PKD_E_CLOSED = -10001,    /* the peer closed the connection cleanly between frames */
    PKD_E_TRUNCATED = -10002, /* the peer closed the connection in the middle of a frame */
    PKD_E_BAD_FLAG = -10003,  /* a frame's flag byte was not 0 */
    PKD_E_TOO_LARGE = -10004, /* a frame is longer than the connection's max_frame_bytes */
    PKD_E_DECODE = -10005,    /* a payload is not a valid passkeyd.v1.Response */
    PKD_E_RESOLVE = -10006,   /* getaddrinfo() could not resolve the host/port */
    PKD_E_BROKEN = -10007,    /* an earlier error left the stream mid-frame; the connection must be closed */
    PKD_E_NOT_OPEN = -10008,  /* the connection is not open */
};

/* Default cap on incoming frames (matches the server's default max_frame_bytes; responses are never larger). */
#define PKD_DEFAULT_MAX_FRAME_BYTES (1u << 20)
/* Size of the frame prefix: 1 flag byte + 4 length bytes. */
#define PKD_FRAME_HEADER_BYTES 5

typedef struct pkd_conn {
    int fd;                   /* the socket, -1 when closed */
    uint32_t max_frame_bytes; /* pkd_recv refuses longer frames; pkd_send refuses longer requests */
    int broken;               /* nonzero once the byte stream is no longer frame-aligned */
} pkd_conn;

/* A closed connection; pkd_close on it is a no-op. Connect functions also leave conn in this state on failure. */
#define PKD_CONN_INIT { -1, PKD_DEFAULT_MAX_FRAME_BYTES, 0 }

/* Connects to a Unix-domain socket. On success conn is open with max_frame_bytes = PKD_DEFAULT_MAX_FRAME_BYTES. */
int pkd_connect_unix(pkd_conn *conn, const char *path);

/* Connects over TCP (IPv4 or IPv6, whichever of host's addresses accepts first); TCP_NODELAY is set. */
int pkd_connect_tcp(pkd_conn *conn, const char *host, uint16_t port);

/*
 * Optional: a send/receive timeout in milliseconds (0 = block forever, the default). A pkd_recv that times out before
 * any byte of a frame arrived returns -ETIMEDOUT and the connection stays usable; a timeout mid-frame breaks it.
 */
int pkd_set_timeout(pkd_conn *conn, unsigned timeout_ms);

/*
 * Packs req and writes one complete frame (retrying on EINTR and partial writes). Never raises SIGPIPE: a peer that
 * went away gives -EPIPE (or -ECONNRESET).
 */
int pkd_send(pkd_conn *conn, const Passkeyd__V1__Request *req);

/*
 * Reads exactly one frame and unpacks it. On success *out owns the response: release it with pkd_response_free (or
 * passkeyd__v1__response__free_unpacked(*out, NULL)). On failure *out is NULL. PKD_E_CLOSED means the server closed
 * the connection at a frame boundary (e.g. after a MALFORMED_FRAME error or on idle timeout).
 * After PKD_E_BAD_FLAG, PKD_E_TOO_LARGE, PKD_E_TRUNCATED or a mid-frame I/O error the connection is broken: close it.
 */
int pkd_recv(pkd_conn *conn, Passkeyd__V1__Response **out);

/* Frees a response returned by pkd_recv (NULL is fine). */
void pkd_response_free(Passkeyd__V1__Response *resp);

/* Closes the socket. Safe to call twice, and on a conn that is PKD_CONN_INIT or whose connect failed. */
void pkd_close(pkd_conn *conn);

/* A human-readable description of any code returned by this library (strerror() text for -errno codes). */
const char *pkd_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif /* PASSKEYD_CLIENT_H */
