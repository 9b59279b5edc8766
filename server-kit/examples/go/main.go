// Command example-server is a PandaStack server written with net/http whose every error comes
// from the Go server kit. It listens on 127.0.0.1 only and prints its URL on the first line.
//
//	go run . -port 4021 -token pds_example_token [-broken]
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	port := flag.Int("port", 4021, "port on 127.0.0.1 (0: any free port)")
	token := flag.String("token", "pds_example_token", "the API key this server accepts")
	broken := flag.Bool("broken", false, `getSandbox answers a missing sandbox without the kit: {"error": "sandbox not found"}`)
	flag.Parse()
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(os.Stderr, "-port must be a port number, not %d\n", *port)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot listen on 127.0.0.1:%d: %v\n", *port, err)
		os.Exit(1)
	}
	fmt.Printf("Example PandaStack server on http://%s (token %s)\n", ln.Addr(), *token)
	srv := &http.Server{Handler: NewServer(*token, "ws_example", *broken), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
