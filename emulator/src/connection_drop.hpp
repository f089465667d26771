// Dropping a client's connection from inside a request handler, so a fault is a transport-level
// failure (the client reads no response at all) rather than an HTTP status.
#pragma once

namespace notion_emulator {

// Finds this process's socket whose local port is `local_port` and whose peer port is
// `remote_port`, makes its close send a TCP reset, and shuts it down. The HTTP library's own write
// then fails and it closes the socket. Returns false if no such socket was found.
bool drop_connection(int local_port, int remote_port);

// Shuts down every accepted connection on `local_port`, so idle keep-alive connections do not hold
// the server's workers (for up to the keep-alive timeout) when it stops.
void drop_all_connections(int local_port);

}  // namespace notion_emulator
