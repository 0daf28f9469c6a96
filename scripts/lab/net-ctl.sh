#!/usr/bin/env bash
# scripts/lab/net-ctl.sh I reject|drop|clear|only-from IP - firewall droplet I's SSH port (as root).
#
#   reject  new and open tcp/22 traffic gets a TCP reset  (client: "Connection refused")
#   drop    tcp/22 traffic is silently dropped            (client: connect timeout / hang)
#   only-from IP  tcp/22 only from IP (another droplet): a private droplet behind a jump host
#   clear   remove those rules again
# The rules live in a chain MONARCH-LAB hooked into INPUT inside the droplet's network namespace;
# dockerd's own chains there are never touched. Knob: LAB_ROOT (default /tmp/monarch-lab).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_index "${1:-}"
ipt() { nsenter --net="/run/netns/$(lab_ns "$1")" -- iptables -w 5 "${@:2}"; }
i=$1

ipt "$i" -N MONARCH-LAB 2>/dev/null || true
ipt "$i" -C INPUT -j MONARCH-LAB 2>/dev/null || ipt "$i" -I INPUT 1 -j MONARCH-LAB
ipt "$i" -F MONARCH-LAB
case ${2:-} in
  reject) ipt "$i" -A MONARCH-LAB -p tcp --dport 22 -j REJECT --reject-with tcp-reset ;;
  drop) ipt "$i" -A MONARCH-LAB -p tcp --dport 22 -j DROP ;;
  only-from)
    [ -n "${3:-}" ] || lab_die "usage: net-ctl.sh I only-from IP"
    ipt "$i" -A MONARCH-LAB -p tcp --dport 22 ! -s "$3" -j REJECT --reject-with tcp-reset ;;
  clear) ;;
  *) lab_die "usage: net-ctl.sh I reject|drop|clear|only-from IP" ;;
esac
