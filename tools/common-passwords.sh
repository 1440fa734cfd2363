#!/usr/bin/env bash
# Regenerates the list of refused passwords shipped in the app:
# Openwall's common-password list (john-data, public domain) plus English and French words of 8-12
# letters (wamerican, wfrench). Needs: apt-get install -y john-data wamerican wfrench
set -euo pipefail
out=${1:-app/src/main/resources/account/common-passwords.txt.gz}
{ grep -v '^#!' /usr/share/john/password.lst
  grep -E '^[a-z]{8,12}$' /usr/share/dict/american-english
  grep -E '^[[:lower:]]{8,12}$' /usr/share/dict/french
} | tr 'A-Z' 'a-z' | LC_ALL=C.UTF-8 sort -u | gzip -9n > "$out"
