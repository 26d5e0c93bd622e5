"""The parts of server.py, one job each (server.py is the entry point and holds the policy):

* :mod:`staticserver.paths`: a request path to a file under the root, or nothing;
* :mod:`staticserver.encodings`: which content coding a browser accepts best;
* :mod:`staticserver.compressed`: pre-compressed copies and the compress-once cache;
* :mod:`staticserver.responses`: a request head in, a response out, sent without waiting;
* :mod:`staticserver.connections`: sockets, timeouts, the bounded worker pool.

Standard library only: brotli is used at build time (tools/precompress.py), never here.
"""
