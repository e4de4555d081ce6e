package faultproxy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
)

// resetMidBody forwards r, then writes the status line, the headers (with
// the full Content-Length) and half of the body, and resets the
// connection. With an empty body it writes half of the header block.
func (p *Proxy) resetMidBody(w http.ResponseWriter, r *http.Request) {
	resp, err := p.roundTrip(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "faultproxy: connection cannot be hijacked", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer abort(conn)

	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/1.1 %s\r\n", resp.Status)
	resp.Header.Del("Transfer-Encoding")
	resp.Header.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead && resp.ContentLength >= 0 {
		resp.Header.Set("Content-Length", fmt.Sprint(resp.ContentLength))
	}
	_ = resp.Header.Write(&head)
	head.WriteString("\r\n")

	out := head.Bytes()
	if len(body) > 0 && r.Method != http.MethodHead {
		out = append(out, body[:len(body)/2]...)
	} else {
		out = out[:len(out)/2]
	}
	writeFlush(buf, out)
}

func writeFlush(buf *bufio.ReadWriter, b []byte) {
	if _, err := buf.Write(b); err == nil {
		_ = buf.Flush()
	}
}

// abort closes conn with a TCP RST (SO_LINGER 0) rather than a FIN.
func abort(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
