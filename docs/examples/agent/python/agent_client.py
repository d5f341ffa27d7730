#!/usr/bin/env python3
"""Reads Holdfast configuration and seats through the local agent (docs/agent.md).

Standard library only. Usage:
  agent_client.py read  BASE_URL NAMESPACE [PATH]          the document, or one value, with its status
  agent_client.py watch BASE_URL NAMESPACE ETAG SECONDS    waits for a newer document than ETAG
  agent_client.py admit BASE_URL APPLICATION USER TOKEN    asks for a seat
BASE_URL is the agent's, e.g. http://127.0.0.1:7070. Prints key=value lines; exits 1 when the
agent answers with a problem (which is printed).
"""
import http.client
import json
import sys
import urllib.parse


def request(base, method, path, headers=None, body=None, timeout=10):
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def print_status(headers):
    # The reason is percent-encoded UTF-8 so that any text fits in a header.
    print("status=" + headers.get("Holdfast-Status", ""))
    print("since=" + headers.get("Holdfast-Status-Since", ""))
    print("reason=" + urllib.parse.unquote(headers.get("Holdfast-Status-Reason", "")))
    print("grace_remaining_seconds=" + headers.get("Holdfast-Grace-Remaining", ""))
    print("revision=" + headers.get("Holdfast-Revision", ""))
    print("etag=" + headers.get("ETag", ""))


def fail_with_problem(status, body):
    print("http_status=%d" % status)
    try:
        print("problem=" + json.loads(body)["detail"])
    except (ValueError, KeyError):
        print("problem=" + body.decode("utf-8", "replace"))
    sys.exit(1)


def read(base, namespace, path=None):
    target = "/v1/config/" + urllib.parse.quote(namespace)
    if path:
        target += "?path=" + urllib.parse.quote(path)
    status, headers, body = request(base, "GET", target)
    print_status(headers)
    if status != 200:
        fail_with_problem(status, body)
    print("value=" + json.dumps(json.loads(body), sort_keys=True))


def watch(base, namespace, etag, seconds):
    target = "/v1/config/%s?wait=%d" % (urllib.parse.quote(namespace), int(seconds))
    status, headers, body = request(
        base, "GET", target, headers={"If-None-Match": etag}, timeout=int(seconds) + 10)
    print("changed=" + ("true" if status == 200 else "false"))
    print_status(headers)
    if status not in (200, 304):
        fail_with_problem(status, body)
    if status == 200:
        print("value=" + json.dumps(json.loads(body), sort_keys=True))


def admit(base, application, user, token):
    status, headers, body = request(
        base, "POST", "/v1/seats/%s/admit" % urllib.parse.quote(application),
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + token},
        body=json.dumps({"user": user}))
    if status != 200:
        fail_with_problem(status, body)
    decision = json.loads(body)
    print("outcome=" + decision["outcome"])
    print("admitted=" + ("true" if decision["admitted"] else "false"))
    print("decision_reason=" + decision["reason"])
    print_status(headers)


if __name__ == "__main__":
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "read" and len(args) in (2, 3):
        read(*args)
    elif command == "watch" and len(args) == 4:
        watch(*args)
    elif command == "admit" and len(args) == 4:
        admit(*args)
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
