#!/bin/sh
# Installs the Debian 12 packages that building and testing Coro need.
# Run as root (or with sudo available).
set -e
PKGS="build-essential clang libclang-rt-14-dev re2c lemon libcriterion-dev libedit-dev pkg-config lua5.4 luajit python3 tmux valgrind time"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends $PKGS
