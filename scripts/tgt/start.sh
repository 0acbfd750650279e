#!/bin/sh
# Starts a private tgtd (Linux SCSI target framework, Debian package "tgt") on 127.0.0.1 with
# two iSCSI targets for the transport tests:
#   DVD target      iscsi://127.0.0.1:PORT/iqn.2025-01.org.burnfarm:dvd/1
#                   LUN 1: an MMC DVD writer with a blank DVD+R (an empty backing file)
#   changer target  iscsi://127.0.0.1:PORT/iqn.2025-01.org.burnfarm:changer/{1,2}
#                   LUN 1: an MMC DVD writer with no disc; LUN 2: a SCSI media changer
#                   (arm 16, drive 1 = LUN 1, slots 1024.., import/export 32) whose MOVE MEDIUM
#                   loads a slot's image file into LUN 1.
# It runs its own tgtd instance (control number and port below), never the system's tgt
# service, and writes STATE_DIR/tgt.env with the URLs and the element addresses.
#
# Usage: start.sh [STATE_DIR]     (default /tmp/burnfarm-tgt)
# Environment: BURNFARM_TGT_CONTROL (default 7), BURNFARM_TGT_PORT (default 3270),
#              BURNFARM_TGT_SLOTS (default 4: slots 1024..1027),
#              BURNFARM_TGT_BLANKS (default SLOTS-1: slot 1024+n holds blank DISC_nnn for n < BLANKS,
#              the other slots are empty).
# Stop with stop.sh and the same STATE_DIR and environment.
set -eu

STATE_DIR=${1:-/tmp/burnfarm-tgt}
CONTROL=${BURNFARM_TGT_CONTROL:-7}
PORT=${BURNFARM_TGT_PORT:-3270}
SLOTS=${BURNFARM_TGT_SLOTS:-4}
BLANKS=${BURNFARM_TGT_BLANKS:-$((SLOTS - 1))}
DVD_IQN=iqn.2025-01.org.burnfarm:dvd
CHANGER_IQN=iqn.2025-01.org.burnfarm:changer
FIRST_SLOT=1024
ARM=16
DRIVE=1
IMPORT_EXPORT=32

fail() { echo "start.sh: $*" >&2; exit 1; }

missing=""
command -v tgtd >/dev/null 2>&1 || missing="$missing tgt"
command -v tgtadm >/dev/null 2>&1 || missing="$missing tgt"
command -v iscsi-inq >/dev/null 2>&1 || missing="$missing libiscsi-bin"
[ -e /usr/lib/x86_64-linux-gnu/libiscsi.so.7 ] || [ -e /usr/lib/aarch64-linux-gnu/libiscsi.so.7 ] || [ -e /usr/lib/libiscsi.so.7 ] || missing="$missing libiscsi7"
if [ "$(id -u)" -ne 0 ]; then
    fail "tgtd needs root (it is a SCSI target daemon). Run the tgt tests as root${missing:+, after: sudo apt-get install -y$missing}."
fi
if [ -n "$missing" ]; then
    echo "start.sh: installing$missing" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y tgt libiscsi7 libiscsi-bin >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y tgt libiscsi7 libiscsi-bin >&2; } \
        || fail "could not install tgt libiscsi7 libiscsi-bin with apt-get"
fi

adm() { tgtadm -C "$CONTROL" --lld iscsi "$@"; }

# A leftover instance from an interrupted run holds the port: stop it first.
"$(dirname "$0")/stop.sh" "$STATE_DIR" >/dev/null 2>&1 || true
rm -rf "$STATE_DIR"
mkdir -p "$STATE_DIR/media"

# tgtd daemonises itself; -p keeps its pid so stop.sh can kill exactly this instance.
tgtd -C "$CONTROL" --iscsi "portal=127.0.0.1:$PORT" -p "$STATE_DIR/tgtd.pid" \
    || fail "tgtd did not start (is port $PORT or control number $CONTROL in use?)"

# Wait for the management socket (tgtd answers 'show' once it is up).
i=0
until adm --mode target --op show >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -le 50 ] || fail "tgtd -C $CONTROL did not answer within 5 s"
    sleep 0.1
done

# Target 1: one DVD writer with a blank DVD+R. tgt shows an empty backing file as blank DVD+R
# (README.mmc); after CLOSE TRACK it morphs into a DVD-ROM.
: > "$STATE_DIR/dvd.img"
adm --mode target --op new --tid 1 --targetname "$DVD_IQN"
adm --mode logicalunit --op new --tid 1 --lun 1 --device-type cd --backing-store "$STATE_DIR/dvd.img"
adm --mode logicalunit --op update --tid 1 --lun 1 --params vendor_id=BURNFARM,product_id=TGT-DVD,product_rev=0001,scsi_sn=BFDVD1,removable=1
adm --mode target --op bind --tid 1 --initiator-address 127.0.0.1

# Target 2: a drive with no disc and a media changer serving it (README.mmc, example 4).
adm --mode target --op new --tid 2 --targetname "$CHANGER_IQN"
adm --mode logicalunit --op new --tid 2 --lun 1 --device-type cd
adm --mode logicalunit --op update --tid 2 --lun 1 --params vendor_id=BURNFARM,product_id=TGT-DVD,product_rev=0001,scsi_sn=BFDVD2,removable=1
dd if=/dev/zero of="$STATE_DIR/smc.state" bs=1k count=1 2>/dev/null
adm --mode logicalunit --op new --tid 2 --lun 2 --device-type changer --backing-store "$STATE_DIR/smc.state"
adm --mode logicalunit --op update --tid 2 --lun 2 --params vendor_id=BURNFARM,product_id=TGT-SMC,product_rev=0001,scsi_sn=BFSMC1,removable=1
adm --mode logicalunit --op update --tid 2 --lun 2 --params element_type=4,start_address=$DRIVE,quantity=1
adm --mode logicalunit --op update --tid 2 --lun 2 --params element_type=4,address=$DRIVE,tid=2,lun=1
adm --mode logicalunit --op update --tid 2 --lun 2 --params element_type=1,start_address=$ARM,quantity=1
adm --mode logicalunit --op update --tid 2 --lun 2 --params element_type=3,start_address=$IMPORT_EXPORT,quantity=1
adm --mode logicalunit --op update --tid 2 --lun 2 --params media_home="$STATE_DIR/media"
adm --mode logicalunit --op update --tid 2 --lun 2 --params element_type=2,start_address=$FIRST_SLOT,quantity=$SLOTS
n=0
while [ "$n" -lt "$BLANKS" ] && [ "$n" -lt "$SLOTS" ]; do
    barcode=$(printf 'DISC_%03d' "$n")
    : > "$STATE_DIR/media/$barcode"   # empty file = blank DVD+R
    adm --mode logicalunit --op update --tid 2 --lun 2 --params element_type=2,address=$((FIRST_SLOT + n)),barcode=$barcode,sides=1
    n=$((n + 1))
done
adm --mode target --op bind --tid 2 --initiator-address 127.0.0.1

cat > "$STATE_DIR/tgt.env" <<ENV
TGT_DVD_URL=iscsi://127.0.0.1:$PORT/$DVD_IQN/1
TGT_DVD_BACKING=$STATE_DIR/dvd.img
TGT_CHANGER_DRIVE_URL=iscsi://127.0.0.1:$PORT/$CHANGER_IQN/1
TGT_CHANGER_URL=iscsi://127.0.0.1:$PORT/$CHANGER_IQN/2
TGT_CHANGER_ARM=$ARM
TGT_CHANGER_DRIVE=$DRIVE
TGT_CHANGER_FIRST_SLOT=$FIRST_SLOT
TGT_CHANGER_SLOTS=$SLOTS
TGT_CHANGER_IMPORT_EXPORT=$IMPORT_EXPORT
TGT_MEDIA_DIR=$STATE_DIR/media
ENV
cat "$STATE_DIR/tgt.env"
