#!/bin/bash
# force-command.sh LOGFILE - the lab sshd's ForceCommand (installed as $LAB_ROOT/bin/force-command).
#
# Appends ONE line per SSH session to LOGFILE, then runs what the client asked for, as sshd would:
#   <UTC time, ms>\t<user>\t<command>
# where <command> is $SSH_ORIGINAL_COMMAND with \ -> \\, newline -> \n, CR -> \r, tab -> \t
# (so a multi-line script stays on one line), or `<interactive>` for a session without a command.
# SFTP works because sshd uses `Subsystem sftp /usr/lib/openssh/sftp-server`: the forced command
# sees that path as SSH_ORIGINAL_COMMAND and execs it. The command runs with the user's login
# shell (`$SHELL -c`, like sshd), stdin/stdout/exit status pass straight through (exec).
log=$1

if [ -n "${SSH_ORIGINAL_COMMAND+set}" ]; then
  cmd=$SSH_ORIGINAL_COMMAND
  e=${cmd//\\/\\\\}; e=${e//$'\n'/\\n}; e=${e//$'\r'/\\r}; e=${e//$'\t'/\\t}
else
  cmd='' e='<interactive>'
fi
printf -v ts '%(%Y-%m-%dT%H:%M:%S)T' -1
us=${EPOCHREALTIME#*.}
printf '%s.%sZ\t%s\t%s\n' "$ts" "${us:0:3}" "${USER:-$(id -un)}" "$e" >>"$log" 2>/dev/null

# A compromised droplet, for the tests: with a file flood-<log file name> beside the log, a
# command that contains the pattern the file holds gets 100 MB on its stdout instead of
# running, and then nothing, for ten minutes.
flood=${log%/*}/flood-${log##*/}
if [ -n "${SSH_ORIGINAL_COMMAND+set}" ] && [ -s "$flood" ] && [[ $cmd == *"$(cat "$flood")"* ]]; then
  head -c 100000000 /dev/zero | tr '\0' x
  sleep 600
  exit 1
fi

# For the benchmark: with a file calls-<log file name> beside the log, every docker and
# docker-compose call of the session appends "<tool> <first argument>" to that file.
calls=${log%/*}/calls-${log##*/}
if [ -e "$calls" ]; then
  export LAB_CALLS=$calls PATH=${0%/*}/counting:$PATH
fi

shell=${SHELL:-/bin/sh}
if [ -n "${SSH_ORIGINAL_COMMAND+set}" ]; then
  unset SSH_ORIGINAL_COMMAND
  exec "$shell" -c "$cmd"
fi
exec -l "$shell"
