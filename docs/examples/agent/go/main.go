// Command agentclient reads Holdfast configuration and seats through the local agent
// (docs/agent.md), with the standard library only.
//
// UNTESTED: the machine this was written on has no Go toolchain. It follows the Python and C
// examples beside it, which the agent's system tests run.
//
//	agentclient read  BASE_URL NAMESPACE PATH
//	agentclient admit BASE_URL APPLICATION USER TOKEN
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

// One client for the process: it keeps the loopback connection alive between requests.
var client = &http.Client{Timeout: 10 * time.Second}

func printStatus(h http.Header) {
	// The reason is percent-encoded UTF-8 so that any text fits in a header.
	reason, err := url.PathUnescape(h.Get("Holdfast-Status-Reason"))
	if err != nil {
		reason = h.Get("Holdfast-Status-Reason")
	}
	fmt.Println("status=" + h.Get("Holdfast-Status"))
	fmt.Println("since=" + h.Get("Holdfast-Status-Since"))
	fmt.Println("reason=" + reason)
	fmt.Println("grace_remaining_seconds=" + h.Get("Holdfast-Grace-Remaining"))
	fmt.Println("revision=" + h.Get("Holdfast-Revision"))
	fmt.Println("etag=" + h.Get("ETag"))
}

func read(base, namespace, path string) int {
	target := base + "/v1/config/" + url.PathEscape(namespace) + "?path=" + url.QueryEscape(path)
	response, err := client.Get(target)
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentclient: cannot reach the agent:", err)
		return 3
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 4<<20))
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentclient: reading the answer:", err)
		return 3
	}
	printStatus(response.Header)
	if response.StatusCode != http.StatusOK {
		fmt.Printf("http_status=%d\nproblem=%s\n", response.StatusCode, body)
		return 1
	}
	fmt.Printf("value=%s\n", body)
	return 0
}

type decision struct {
	Outcome  string `json:"outcome"`
	Admitted bool   `json:"admitted"`
	Reason   string `json:"reason"`
}

func admit(base, application, user, token string) int {
	payload, _ := json.Marshal(map[string]string{"user": user})
	request, err := http.NewRequest(http.MethodPost,
		base+"/v1/seats/"+url.PathEscape(application)+"/admit", bytes.NewReader(payload))
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentclient:", err)
		return 2
	}
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Authorization", "Bearer "+token)
	response, err := client.Do(request)
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentclient: cannot reach the agent:", err)
		return 3
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 1<<20))
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentclient: reading the answer:", err)
		return 3
	}
	if response.StatusCode != http.StatusOK {
		fmt.Printf("http_status=%d\nproblem=%s\n", response.StatusCode, body)
		return 1
	}
	var d decision
	if err := json.Unmarshal(body, &d); err != nil {
		fmt.Fprintln(os.Stderr, "agentclient: not a decision:", err)
		return 1
	}
	fmt.Println("outcome=" + d.Outcome)
	fmt.Printf("admitted=%t\n", d.Admitted)
	fmt.Println("decision_reason=" + d.Reason)
	printStatus(response.Header)
	return 0
}

func main() {
	args := os.Args[1:]
	switch {
	case len(args) == 4 && args[0] == "read":
		os.Exit(read(args[1], args[2], args[3]))
	case len(args) == 5 && args[0] == "admit":
		os.Exit(admit(args[1], args[2], args[3], args[4]))
	default:
		fmt.Fprintln(os.Stderr, "usage: agentclient read BASE_URL NAMESPACE PATH")
		fmt.Fprintln(os.Stderr, "       agentclient admit BASE_URL APPLICATION USER TOKEN")
		os.Exit(2)
	}
}
