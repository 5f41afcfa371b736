/* passkeyd_client: framing over a blocking socket. See passkeyd_client.h and Protos/README.md. */
#if !defined(__APPLE__)
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MSG_NOSIGNAL, SOCK_CLOEXEC on glibc/musl */
#endif

#include "passkeyd_client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#ifdef MSG_NOSIGNAL
#define PKD_SEND_FLAGS MSG_NOSIGNAL
#else
#define PKD_SEND_FLAGS 0
#endif

/* Frames at most this big are assembled/read on the stack; larger ones use the heap. */
#define PKD_STACK_FRAME_BYTES 1024

static int errno_code(void) {
    int e = errno;
    if (e == EAGAIN || e == EWOULDBLOCK) return -ETIMEDOUT; /* SO_RCVTIMEO / SO_SNDTIMEO expired */
    return e > 0 ? -e : -EIO;
}

static void conn_reset(pkd_conn *conn) {
    conn->fd = -1;
    conn->max_frame_bytes = PKD_DEFAULT_MAX_FRAME_BYTES;
    conn->broken = 0;
}

/* A stream socket with close-on-exec set and, where the platform needs it, SIGPIPE suppressed. */
static int open_socket(int domain) {
    int fd;
#ifdef SOCK_CLOEXEC
    fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno_code();
#else
    fd = socket(domain, SOCK_STREAM, 0);
    if (fd < 0) return errno_code();
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    return fd;
}

/* connect(2), finishing the handshake if a signal interrupted it (the connect then continues asynchronously). */
static int connect_fd(int fd, const struct sockaddr *sa, socklen_t len) {
    if (connect(fd, sa, len) == 0) return 0;
    if (errno != EINTR) return errno_code();
    struct pollfd p = {.fd = fd, .events = POLLOUT, .revents = 0};
    for (;;) {
        int r = poll(&p, 1, -1);
        if (r > 0) break;
        if (r < 0 && errno != EINTR) return errno_code();
    }
    int err = 0;
    socklen_t err_len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) < 0) return errno_code();
    return err ? -err : 0;
}

int pkd_connect_unix(pkd_conn *conn, const char *path) {
    if (!conn) return -EINVAL;
    conn_reset(conn);
    if (!path || !*path) return -EINVAL;

    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    size_t n = strlen(path);
    if (n >= sizeof sa.sun_path) return -ENAMETOOLONG;
    memcpy(sa.sun_path, path, n + 1);

    int fd = open_socket(AF_UNIX);
    if (fd < 0) return fd;
    int rc = connect_fd(fd, (const struct sockaddr *)&sa, (socklen_t)sizeof sa);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    conn->fd = fd;
    return 0;
}

int pkd_connect_tcp(pkd_conn *conn, const char *host, uint16_t port) {
    if (!conn) return -EINVAL;
    conn_reset(conn);
    if (!host || !*host || port == 0) return -EINVAL;

    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *list = NULL;
    int gai = getaddrinfo(host, service, &hints, &list);
    if (gai != 0) {
        if (gai == EAI_SYSTEM && errno > 0) return errno_code();
        if (gai == EAI_MEMORY) return -ENOMEM;
        return PKD_E_RESOLVE;
    }

    int rc = PKD_E_RESOLVE;
    for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        int fd = open_socket(ai->ai_family);
        if (fd < 0) {
            rc = fd;
            continue;
        }
        rc = connect_fd(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc == 0) {
            int one = 1;
            (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            conn->fd = fd;
            break;
        }
        close(fd);
    }
    freeaddrinfo(list);
    return rc;
}

int pkd_set_timeout(pkd_conn *conn, unsigned timeout_ms) {
    if (!conn) return -EINVAL;
    if (conn->fd < 0) return PKD_E_NOT_OPEN;
    struct timeval tv;
    tv.tv_sec = (time_t)(timeout_ms / 1000u);
    tv.tv_usec = (suseconds_t)((timeout_ms % 1000u) * 1000u);
    if (setsockopt(conn->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) return errno_code();
    if (setsockopt(conn->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0) return errno_code();
    return 0;
}

/* Writes all n bytes. On failure *done says how many went out before the error. */
static int write_all(int fd, const uint8_t *p, size_t n, size_t *done) {
    *done = 0;
    while (*done < n) {
        ssize_t w = send(fd, p + *done, n - *done, PKD_SEND_FLAGS);
        if (w < 0) {
            if (errno == EINTR) continue;
            return errno_code();
        }
        *done += (size_t)w;
    }
    return 0;
}

/* Reads exactly n bytes. On failure *got says how many arrived first; end of stream gives PKD_E_CLOSED. */
static int read_full(int fd, uint8_t *p, size_t n, size_t *got) {
    *got = 0;
    while (*got < n) {
        ssize_t r = recv(fd, p + *got, n - *got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return errno_code();
        }
        if (r == 0) return PKD_E_CLOSED;
        *got += (size_t)r;
    }
    return 0;
}

int pkd_send(pkd_conn *conn, const Passkeyd__V1__Request *req) {
    if (!conn || !req || req->base.descriptor != &passkeyd__v1__request__descriptor) return -EINVAL;
    if (conn->fd < 0) return PKD_E_NOT_OPEN;
    if (conn->broken) return PKD_E_BROKEN;

    size_t payload = passkeyd__v1__request__get_packed_size(req);
    if (payload > UINT32_MAX || payload > conn->max_frame_bytes) return PKD_E_TOO_LARGE;
    size_t total = PKD_FRAME_HEADER_BYTES + payload;

    uint8_t stack_buf[PKD_STACK_FRAME_BYTES];
    uint8_t *buf = stack_buf;
    if (total > sizeof stack_buf) {
        buf = malloc(total);
        if (!buf) return -ENOMEM;
    }
    buf[0] = 0;
    buf[1] = (uint8_t)(payload >> 24);
    buf[2] = (uint8_t)(payload >> 16);
    buf[3] = (uint8_t)(payload >> 8);
    buf[4] = (uint8_t)payload;
    size_t packed = passkeyd__v1__request__pack(req, buf + PKD_FRAME_HEADER_BYTES);

    int rc;
    if (packed != payload) {
        rc = -EINVAL; /* the message changed size between sizing and packing: corrupt or shared input */
    } else {
        size_t done = 0;
        rc = write_all(conn->fd, buf, total, &done);
        if (rc < 0 && done > 0) conn->broken = 1; /* the server now holds a partial frame */
    }
    if (buf != stack_buf) free(buf);
    return rc;
}

int pkd_recv(pkd_conn *conn, Passkeyd__V1__Response **out) {
    if (!out) return -EINVAL;
    *out = NULL;
    if (!conn) return -EINVAL;
    if (conn->fd < 0) return PKD_E_NOT_OPEN;
    if (conn->broken) return PKD_E_BROKEN;

    uint8_t header[PKD_FRAME_HEADER_BYTES];
    size_t got = 0;
    int rc = read_full(conn->fd, header, sizeof header, &got);
    if (rc < 0) {
        if (got > 0) {
            conn->broken = 1;
            if (rc == PKD_E_CLOSED) rc = PKD_E_TRUNCATED;
        }
        return rc; /* nothing consumed: the connection stays aligned (e.g. -ETIMEDOUT can be retried) */
    }
    if (header[0] != 0) {
        conn->broken = 1;
        return PKD_E_BAD_FLAG;
    }
    uint32_t len = ((uint32_t)header[1] << 24) | ((uint32_t)header[2] << 16) | ((uint32_t)header[3] << 8) |
                   (uint32_t)header[4];
    if (len > conn->max_frame_bytes) {
        conn->broken = 1;
        return PKD_E_TOO_LARGE;
    }

    uint8_t stack_buf[PKD_STACK_FRAME_BYTES];
    uint8_t *buf = stack_buf;
    if (len > sizeof stack_buf) {
        buf = malloc(len);
        if (!buf) {
            conn->broken = 1; /* the payload is still unread */
            return -ENOMEM;
        }
    }
    rc = read_full(conn->fd, buf, len, &got);
    if (rc < 0) {
        conn->broken = 1;
        if (rc == PKD_E_CLOSED) rc = PKD_E_TRUNCATED;
    } else {
        Passkeyd__V1__Response *resp = passkeyd__v1__response__unpack(NULL, len, buf);
        if (resp) {
            *out = resp;
        } else {
            rc = PKD_E_DECODE; /* the whole frame was consumed: the stream is still aligned */
        }
    }
    if (buf != stack_buf) free(buf);
    return rc;
}

void pkd_response_free(Passkeyd__V1__Response *resp) {
    if (resp) passkeyd__v1__response__free_unpacked(resp, NULL);
}

void pkd_close(pkd_conn *conn) {
    if (!conn) return;
    if (conn->fd >= 0) close(conn->fd); /* no retry on EINTR: on Linux the descriptor is released regardless */
    conn->fd = -1;
    conn->broken = 0;
}

const char *pkd_strerror(int code) {
    switch (code) {
    case PKD_OK: return "success";
    case PKD_E_CLOSED: return "connection closed by peer";
    case PKD_E_TRUNCATED: return "connection closed in the middle of a frame";
    case PKD_E_BAD_FLAG: return "malformed frame: flag byte is not 0";
    case PKD_E_TOO_LARGE: return "frame exceeds max_frame_bytes";
    case PKD_E_DECODE: return "payload is not a valid passkeyd.v1.Response";
    case PKD_E_RESOLVE: return "cannot resolve host or port";
    case PKD_E_BROKEN: return "connection is broken by an earlier framing error; close it";
    case PKD_E_NOT_OPEN: return "connection is not open";
    default: break;
    }
    if (code < 0 && code > -4096) return strerror(-code);
    return "unknown error";
}
