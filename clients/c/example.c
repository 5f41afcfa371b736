/*
 * passkeyd-example: exercises passkeyd_client against a running `passkeyd serve`.
 *
 *   passkeyd-example (--unix PATH | --tcp HOST:PORT) [health|info|verify-garbage|pipeline N]
 *
 * Exit status: 0 success, 1 the server answered but not as expected, 2 usage or transport error.
 */
#include "passkeyd_client.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_MISMATCH 1
#define EXIT_TRANSPORT 2
#define RECV_TIMEOUT_MS 15000u
#define MAX_PIPELINE 1000000L

static void usage(FILE *f) {
    fprintf(f, "usage: passkeyd-example (--unix PATH | --tcp HOST:PORT) [health|info|verify-garbage|pipeline N]\n");
}

static const char *enum_name(const ProtobufCEnumDescriptor *desc, int value) {
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(desc, value);
    return v ? v->name : "?";
}

static const char *error_code_name(Passkeyd__V1__ErrorCode code) {
    return enum_name(&passkeyd__v1__error_code__descriptor, (int)code);
}

/* Sends one request and receives the response carrying its id. Returns an exit status; *out is set on success. */
static int call(pkd_conn *conn, const Passkeyd__V1__Request *req, Passkeyd__V1__Response **out) {
    *out = NULL;
    int rc = pkd_send(conn, req);
    if (rc < 0) {
        fprintf(stderr, "send: %s\n", pkd_strerror(rc));
        return EXIT_TRANSPORT;
    }
    Passkeyd__V1__Response *resp = NULL;
    rc = pkd_recv(conn, &resp);
    if (rc < 0) {
        fprintf(stderr, "recv: %s\n", pkd_strerror(rc));
        return EXIT_TRANSPORT;
    }
    if (resp->id != req->id) {
        fprintf(stderr, "response id %" PRIu64 " does not match request id %" PRIu64 "\n", resp->id, req->id);
        pkd_response_free(resp);
        return EXIT_MISMATCH;
    }
    *out = resp;
    return 0;
}

/* True when resp has the expected result; otherwise prints what came instead. */
static int expect_result(const Passkeyd__V1__Response *resp, Passkeyd__V1__Response__ResultCase want) {
    if (resp->result_case == want) return 1;
    if (resp->result_case == PASSKEYD__V1__RESPONSE__RESULT_ERROR && resp->error) {
        fprintf(stderr, "request error: %s (%d): %s\n", error_code_name(resp->error->code), (int)resp->error->code,
                resp->error->message ? resp->error->message : "");
    } else {
        fprintf(stderr, "unexpected result case %d (wanted %d)\n", (int)resp->result_case, (int)want);
    }
    return 0;
}

static int cmd_health(pkd_conn *conn) {
    Passkeyd__V1__HealthRequest health = PASSKEYD__V1__HEALTH_REQUEST__INIT;
    Passkeyd__V1__Request req = PASSKEYD__V1__REQUEST__INIT;
    req.id = 1;
    req.method_case = PASSKEYD__V1__REQUEST__METHOD_HEALTH;
    req.health = &health;

    Passkeyd__V1__Response *resp;
    int status = call(conn, &req, &resp);
    if (status) return status;
    if (!expect_result(resp, PASSKEYD__V1__RESPONSE__RESULT_HEALTH)) {
        pkd_response_free(resp);
        return EXIT_MISMATCH;
    }
    const Passkeyd__V1__HealthResponse *h = resp->health;
    printf("status: %s\n", enum_name(&passkeyd__v1__health_response__status__descriptor, (int)h->status));
    printf("in_flight: %" PRIu64 "\n", h->in_flight);
    printf("connections: %" PRIu64 "\n", h->connections);
    printf("challenge_store: %s\n",
           enum_name(&passkeyd__v1__health_response__challenge_store__descriptor, (int)h->challenge_store));
    if (h->challenge_store_message && h->challenge_store_message[0])
        printf("challenge_store_message: %s\n", h->challenge_store_message);
    pkd_response_free(resp);
    return 0;
}

static void print_list_i64(const char *label, const int64_t *v, size_t n) {
    printf("%s:", label);
    for (size_t i = 0; i < n; i++) printf("%s%" PRId64, i ? ", " : " ", v[i]);
    printf("\n");
}

static void print_list_str(const char *label, char *const *v, size_t n) {
    printf("%s:", label);
    for (size_t i = 0; i < n; i++) printf("%s%s", i ? ", " : " ", v[i]);
    printf("\n");
}

static int cmd_info(pkd_conn *conn) {
    Passkeyd__V1__ServerInfoRequest info = PASSKEYD__V1__SERVER_INFO_REQUEST__INIT;
    Passkeyd__V1__Request req = PASSKEYD__V1__REQUEST__INIT;
    req.id = 1;
    req.method_case = PASSKEYD__V1__REQUEST__METHOD_SERVER_INFO;
    req.server_info = &info;

    Passkeyd__V1__Response *resp;
    int status = call(conn, &req, &resp);
    if (status) return status;
    if (!expect_result(resp, PASSKEYD__V1__RESPONSE__RESULT_SERVER_INFO)) {
        pkd_response_free(resp);
        return EXIT_MISMATCH;
    }
    const Passkeyd__V1__ServerInfoResponse *s = resp->server_info;
    printf("version: %s\n", s->version);
    print_list_i64("algorithms", s->algorithms, s->n_algorithms);
    print_list_str("attestation_formats", s->attestation_formats, s->n_attestation_formats);
    printf("max_frame_bytes: %" PRIu32 "\n", s->max_frame_bytes);
    printf("max_in_flight_per_connection: %" PRIu32 "\n", s->max_in_flight_per_connection);
    printf("max_in_flight: %" PRIu32 "\n", s->max_in_flight);
    printf("max_connections: %" PRIu32 "\n", s->max_connections);
    printf("max_batch_items: %" PRIu32 "\n", s->max_batch_items);
    printf("idle_timeout_ms: %" PRIu32 "\n", s->idle_timeout_ms);
    printf("default_deadline_ms: %" PRIu32 "\n", s->default_deadline_ms);
    print_list_str("relying_parties", s->relying_parties, s->n_relying_parties);
    pkd_response_free(resp);
    return 0;
}

static int cmd_verify_garbage(pkd_conn *conn) {
    static char rp_id[] = "example.com";
    static char origin[] = "https://example.com";
    static char client_data[] = "{\"type\":\"webauthn.get\"}";
    char *origins[] = {origin};
    uint8_t challenge[32];
    uint8_t cose_key[] = {0xa1, 0x01, 0xff, 0xde, 0xad, 0xbe, 0xef};
    uint8_t authenticator_data[10];
    uint8_t credential_id[16];
    uint8_t signature[8];
    for (size_t i = 0; i < sizeof challenge; i++) challenge[i] = (uint8_t)(i * 7 + 1);
    memset(authenticator_data, 0x42, sizeof authenticator_data);
    memset(credential_id, 0x11, sizeof credential_id);
    memset(signature, 0x30, sizeof signature);

    Passkeyd__V1__RelyingPartyPolicy policy = PASSKEYD__V1__RELYING_PARTY_POLICY__INIT;
    policy.rp_id = rp_id;
    policy.n_origins = 1;
    policy.origins = origins;

    Passkeyd__V1__AssertionFields fields = PASSKEYD__V1__ASSERTION_FIELDS__INIT;
    fields.credential_id = (ProtobufCBinaryData){sizeof credential_id, credential_id};
    fields.authenticator_data = (ProtobufCBinaryData){sizeof authenticator_data, authenticator_data};
    fields.client_data_json = (ProtobufCBinaryData){strlen(client_data), (uint8_t *)client_data};
    fields.signature = (ProtobufCBinaryData){sizeof signature, signature};

    Passkeyd__V1__VerifyAuthenticationRequest verify = PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__INIT;
    verify.policy = &policy;
    verify.challenge_check_case = PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CHALLENGE_CHECK_CHALLENGE;
    verify.challenge = (ProtobufCBinaryData){sizeof challenge, challenge};
    verify.credential_public_key = (ProtobufCBinaryData){sizeof cose_key, cose_key};
    verify.credential_case = PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CREDENTIAL_FIELDS;
    verify.fields = &fields;

    Passkeyd__V1__Request req = PASSKEYD__V1__REQUEST__INIT;
    req.id = 7;
    req.method_case = PASSKEYD__V1__REQUEST__METHOD_VERIFY_AUTHENTICATION;
    req.verify_authentication = &verify;

    Passkeyd__V1__Response *resp;
    int status = call(conn, &req, &resp);
    if (status) return status;
    if (!expect_result(resp, PASSKEYD__V1__RESPONSE__RESULT_VERIFY_AUTHENTICATION)) {
        pkd_response_free(resp);
        return EXIT_MISMATCH;
    }
    const Passkeyd__V1__VerifyAuthenticationResult *r = resp->verify_authentication;
    printf("error_code: %s (%d)\n", error_code_name(r->error_code), (int)r->error_code);
    printf("error_message: %s\n", r->error_message);
    status = r->error_code != PASSKEYD__V1__ERROR_CODE__ERROR_CODE_NONE ? 0 : EXIT_MISMATCH;
    if (status) fprintf(stderr, "garbage assertion verified?!\n");
    pkd_response_free(resp);
    return status;
}

/* Sends n health requests (ids 1..n) before reading anything, then checks each id is answered exactly once. */
static int cmd_pipeline(pkd_conn *conn, long n) {
    unsigned char *seen = calloc((size_t)n + 1, 1);
    if (!seen) {
        fprintf(stderr, "out of memory\n");
        return EXIT_TRANSPORT;
    }
    Passkeyd__V1__HealthRequest health = PASSKEYD__V1__HEALTH_REQUEST__INIT;
    Passkeyd__V1__Request req = PASSKEYD__V1__REQUEST__INIT;
    req.method_case = PASSKEYD__V1__REQUEST__METHOD_HEALTH;
    req.health = &health;

    int status = 0;
    for (long i = 1; i <= n; i++) {
        req.id = (uint64_t)i;
        int rc = pkd_send(conn, &req);
        if (rc < 0) {
            fprintf(stderr, "send #%ld: %s\n", i, pkd_strerror(rc));
            status = EXIT_TRANSPORT;
            goto done;
        }
    }
    long out_of_order = 0;
    for (long i = 1; i <= n; i++) {
        Passkeyd__V1__Response *resp = NULL;
        int rc = pkd_recv(conn, &resp);
        if (rc < 0) {
            fprintf(stderr, "recv #%ld of %ld: %s\n", i, n, pkd_strerror(rc));
            status = EXIT_TRANSPORT;
            goto done;
        }
        uint64_t id = resp->id;
        int ok = expect_result(resp, PASSKEYD__V1__RESPONSE__RESULT_HEALTH);
        pkd_response_free(resp);
        if (!ok) {
            fprintf(stderr, "(response id %" PRIu64 ")\n", id);
            status = EXIT_MISMATCH;
            continue;
        }
        if (id < 1 || id > (uint64_t)n) {
            fprintf(stderr, "response id %" PRIu64 " was never sent\n", id);
            status = EXIT_MISMATCH;
        } else if (seen[id]) {
            fprintf(stderr, "response id %" PRIu64 " answered twice\n", id);
            status = EXIT_MISMATCH;
        } else {
            seen[id] = 1;
            if (id != (uint64_t)i) out_of_order++;
        }
    }
    for (long i = 1; i <= n; i++) {
        if (!seen[i]) {
            fprintf(stderr, "request id %ld never answered\n", i);
            status = EXIT_MISMATCH;
        }
    }
    if (status == 0) {
        printf("pipelined %ld requests, all answered\n", n);
        printf("answered out of order: %ld\n", out_of_order);
    }
done:
    free(seen);
    return status;
}

/* Splits HOST:PORT (HOST may be [v6addr]). Returns 0 on success. */
static int parse_host_port(const char *arg, char *host, size_t host_size, uint16_t *port) {
    const char *colon = strrchr(arg, ':');
    if (!colon || colon == arg) return -1;
    const char *h = arg;
    size_t hlen = (size_t)(colon - arg);
    if (h[0] == '[') {
        if (hlen < 2 || h[hlen - 1] != ']') return -1;
        h++;
        hlen -= 2;
    }
    if (hlen == 0 || hlen >= host_size) return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    char *end;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || p == 0 || p > 65535) return -1;
    *port = (uint16_t)p;
    return 0;
}

int main(int argc, char **argv) {
    const char *unix_path = NULL;
    const char *tcp_arg = NULL;
    const char *command = "health";
    long pipeline_n = 0;

    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--unix") == 0 && i + 1 < argc) {
            unix_path = argv[++i];
        } else if (strcmp(argv[i], "--tcp") == 0 && i + 1 < argc) {
            tcp_arg = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            break;
        }
    }
    if (i < argc) command = argv[i++];
    if (strcmp(command, "pipeline") == 0) {
        if (i >= argc) {
            usage(stderr);
            return EXIT_TRANSPORT;
        }
        char *end;
        errno = 0;
        pipeline_n = strtol(argv[i++], &end, 10);
        if (errno || *end || pipeline_n < 1 || pipeline_n > MAX_PIPELINE) {
            fprintf(stderr, "pipeline N: N must be 1..%ld\n", MAX_PIPELINE);
            return EXIT_TRANSPORT;
        }
    } else if (strcmp(command, "health") != 0 && strcmp(command, "info") != 0 &&
               strcmp(command, "verify-garbage") != 0) {
        fprintf(stderr, "unknown command: %s\n", command);
        usage(stderr);
        return EXIT_TRANSPORT;
    }
    if (i != argc || (!unix_path == !tcp_arg)) {
        usage(stderr);
        return EXIT_TRANSPORT;
    }

    pkd_conn conn = PKD_CONN_INIT;
    int rc;
    if (unix_path) {
        rc = pkd_connect_unix(&conn, unix_path);
        if (rc < 0) fprintf(stderr, "connect unix:%s: %s\n", unix_path, pkd_strerror(rc));
    } else {
        char host[256];
        uint16_t port;
        if (parse_host_port(tcp_arg, host, sizeof host, &port) != 0) {
            fprintf(stderr, "--tcp wants HOST:PORT, got %s\n", tcp_arg);
            return EXIT_TRANSPORT;
        }
        rc = pkd_connect_tcp(&conn, host, port);
        if (rc < 0) fprintf(stderr, "connect tcp:%s: %s\n", tcp_arg, pkd_strerror(rc));
    }
    if (rc < 0) return EXIT_TRANSPORT;
    rc = pkd_set_timeout(&conn, RECV_TIMEOUT_MS);
    if (rc < 0) {
        fprintf(stderr, "set timeout: %s\n", pkd_strerror(rc));
        pkd_close(&conn);
        return EXIT_TRANSPORT;
    }

    int status;
    if (strcmp(command, "health") == 0) {
        status = cmd_health(&conn);
    } else if (strcmp(command, "info") == 0) {
        status = cmd_info(&conn);
    } else if (strcmp(command, "verify-garbage") == 0) {
        status = cmd_verify_garbage(&conn);
    } else {
        status = cmd_pipeline(&conn, pipeline_n);
    }
    pkd_close(&conn);
    return status;
}
