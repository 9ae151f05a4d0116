#!/bin/bash
# Runs one check of tests/captures/linux_sockets.cpp (the sockets layer's
# Linux profile against the real kernel) in a private network namespace
# with loopback up, so its sysctls (tcp_syncookies, tcp_fin_timeout) and
# counters are its own. Exit 0 agree, 1 differ, 77 skipped (no namespace).
#
#   sockets.sh LINUX_SOCKETS CHECK
set -u
prog=$1 check=$2
if [ -z "${TCPLAB_IN_NETNS:-}" ]; then
  if ! unshare -n true 2>/dev/null; then
    echo "SKIP ($check): cannot create a network namespace here (needs root or CAP_SYS_ADMIN)"
    exit 77
  fi
  TCPLAB_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up || { echo "FAIL ($check): cannot bring lo up"; exit 1; }
exec "$prog" "$check"
