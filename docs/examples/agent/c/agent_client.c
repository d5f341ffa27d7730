/*
 * Reads Holdfast configuration and seats through the local agent (docs/agent.md), with plain
 * POSIX sockets: no HTTP or JSON library. Build: cc -std=c99 -Wall -o agent_client agent_client.c
 *
 *   agent_client read  HOST PORT NAMESPACE PATH          one value (?path=) with its status
 *   agent_client admit HOST PORT APPLICATION USER TOKEN  asks for a seat
 *
 * Prints key=value lines. The status comes from the response headers, and the seat outcome from
 * Holdfast-Seat-Outcome, so nothing here parses JSON. Exits 1 when the agent answers with a
 * problem, 2 on bad arguments, 3 when the agent cannot be reached.
 */
#define _POSIX_C_SOURCE 200112L
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_RESPONSE (1024 * 1024)

struct response {
  int status;
  char *headers; /* the header block, NUL-terminated */
  char *body;    /* NUL-terminated */
};

static char buffer[MAX_RESPONSE + 1];

/* Sends one request with Connection: close and reads the whole answer. Returns 0 on success. */
static int exchange(const char *host, const char *port, const char *request, struct response *out) {
  struct addrinfo hints, *addresses, *a;
  int fd = -1;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &addresses) != 0) return -1;
  for (a = addresses; a != NULL; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(addresses);
  if (fd < 0) return -1;

  size_t length = strlen(request), sent = 0;
  while (sent < length) {
    ssize_t n = send(fd, request + sent, length - sent, 0);
    if (n <= 0) { close(fd); return -1; }
    sent += (size_t) n;
  }
  size_t used = 0;
  ssize_t n;
  while (used < MAX_RESPONSE && (n = recv(fd, buffer + used, MAX_RESPONSE - used, 0)) > 0) {
    used += (size_t) n;
  }
  close(fd);
  buffer[used] = '\0';

  char *end = strstr(buffer, "\r\n\r\n");
  if (end == NULL || sscanf(buffer, "HTTP/1.%*d %d", &out->status) != 1) return -1;
  *end = '\0';
  out->headers = buffer;
  out->body = end + 4;
  return 0;
}

/* Copies the value of header NAME (case-insensitive) into VALUE; empty when absent. */
static void header(const struct response *r, const char *name, char *value, size_t size) {
  size_t name_length = strlen(name);
  const char *line = strstr(r->headers, "\r\n");
  value[0] = '\0';
  while (line != NULL) {
    line += 2;
    if (strncasecmp(line, name, name_length) == 0 && line[name_length] == ':') {
      const char *start = line + name_length + 1;
      while (*start == ' ') start++;
      size_t i = 0;
      while (start[i] != '\0' && start[i] != '\r' && i + 1 < size) {
        value[i] = start[i];
        i++;
      }
      value[i] = '\0';
      return;
    }
    line = strstr(line, "\r\n");
  }
}

/* Decodes %XX in place: the agent percent-encodes any byte of a reason that is not plain ASCII. */
static void percent_decode(char *text) {
  char *in = text, *out = text;
  while (*in) {
    unsigned int byte;
    if (in[0] == '%' && in[1] && in[2] && sscanf(in + 1, "%2x", &byte) == 1) {
      *out++ = (char) byte;
      in += 3;
    } else {
      *out++ = *in++;
    }
  }
  *out = '\0';
}

static void print_status(const struct response *r) {
  static const char *names[][2] = {
      {"status", "Holdfast-Status"},
      {"since", "Holdfast-Status-Since"},
      {"reason", "Holdfast-Status-Reason"},
      {"grace_remaining_seconds", "Holdfast-Grace-Remaining"},
      {"revision", "Holdfast-Revision"},
      {"etag", "ETag"}};
  char value[2048];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    header(r, names[i][1], value, sizeof value);
    if (strcmp(names[i][0], "reason") == 0) percent_decode(value);
    printf("%s=%s\n", names[i][0], value);
  }
}

/* Appends TEXT to OUT, percent-encoding all but unreserved characters (RFC 3986). */
static int append_encoded(char *out, size_t size, const char *text) {
  size_t used = strlen(out);
  for (const unsigned char *c = (const unsigned char *) text; *c; c++) {
    if (used + 4 >= size) return -1;
    if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
        *c == '-' || *c == '.' || *c == '_' || *c == '~' || *c == '/') {
      out[used++] = (char) *c;
    } else {
      used += (size_t) snprintf(out + used, size - used, "%%%02X", *c);
    }
  }
  out[used] = '\0';
  return 0;
}

/* Appends TEXT as a JSON string's content: quotes, backslashes and control characters escaped. */
static int append_json_string(char *out, size_t size, const char *text) {
  size_t used = strlen(out);
  for (const unsigned char *c = (const unsigned char *) text; *c; c++) {
    if (used + 7 >= size) return -1;
    if (*c == '"' || *c == '\\') {
      out[used++] = '\\';
      out[used++] = (char) *c;
    } else if (*c < 0x20) {
      used += (size_t) snprintf(out + used, size - used, "\\u%04x", *c);
    } else {
      out[used++] = (char) *c;
    }
  }
  out[used] = '\0';
  return 0;
}

static int problem(const struct response *r) {
  printf("http_status=%d\nproblem=%s\n", r->status, r->body);
  return 1;
}

static int read_value(const char *host, const char *port, const char *ns, const char *path) {
  char target[2048] = "/v1/config/", request[4096];
  struct response r;
  if (append_encoded(target, sizeof target, ns) || strlen(target) + 7 >= sizeof target) return 2;
  strcat(target, "?path=");
  if (append_encoded(target, sizeof target, path)) return 2;
  snprintf(request, sizeof request,
           "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, host);
  if (exchange(host, port, request, &r) != 0) {
    fprintf(stderr, "agent_client: cannot reach the agent at %s:%s\n", host, port);
    return 3;
  }
  print_status(&r);
  if (r.status != 200) return problem(&r);
  printf("value=%s\n", r.body);
  return 0;
}

static int admit(const char *host, const char *port, const char *application, const char *user,
                 const char *token) {
  char target[1024] = "/v1/seats/", body[2048] = "{\"user\":\"", request[8192];
  char outcome[64];
  struct response r;
  if (append_encoded(target, sizeof target, application) || strlen(target) + 7 >= sizeof target)
    return 2;
  strcat(target, "/admit");
  if (append_json_string(body, sizeof body - 2, user)) return 2;
  strcat(body, "\"}");
  int length = snprintf(request, sizeof request,
                        "POST %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
                        "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                        "Content-Length: %zu\r\n\r\n%s",
                        target, host, token, strlen(body), body);
  if (length < 0 || (size_t) length >= sizeof request) return 2;
  if (exchange(host, port, request, &r) != 0) {
    fprintf(stderr, "agent_client: cannot reach the agent at %s:%s\n", host, port);
    return 3;
  }
  if (r.status != 200) return problem(&r);
  header(&r, "Holdfast-Seat-Outcome", outcome, sizeof outcome);
  printf("outcome=%s\nadmitted=%s\n", outcome, strcmp(outcome, "ADMITTED") == 0 ? "true" : "false");
  print_status(&r);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 6 && strcmp(argv[1], "read") == 0) {
    return read_value(argv[2], argv[3], argv[4], argv[5]);
  }
  if (argc == 7 && strcmp(argv[1], "admit") == 0) {
    return admit(argv[2], argv[3], argv[4], argv[5], argv[6]);
  }
  fprintf(stderr,
          "usage: agent_client read HOST PORT NAMESPACE PATH\n"
          "       agent_client admit HOST PORT APPLICATION USER TOKEN\n");
  return 2;
}
