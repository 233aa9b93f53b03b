#!/bin/sh
# From the terminal: one side receives into a folder, the other sends it a file, peer to peer
# through a Switchboard server (add --relay to go through its TURN relay). Run the two halves on
# two machines; here both run on this one.
#   sh examples/transfer.sh https://calls.example.com team ./video.mp4 ~/Downloads [--relay]
set -e
server=$1 room=$2 file=$3 out=$4
shift 4
npx switchboard receive --server "$server" --room "$room" --out "$out" "$@" &
receiver=$!
npx switchboard send "$file" --server "$server" --room "$room" "$@"
wait "$receiver"
