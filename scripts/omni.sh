#!/usr/bin/env bash
# Omni workspace driver: one place for setup, database, run, test and bench.
#
#   scripts/omni.sh setup      venv + Odoo 18.0 from $ODOO_SRC + pinned requirements
#   scripts/omni.sh db         find PostgreSQL (PG* vars, 127.0.0.1:5432) or start a private one
#   scripts/omni.sh run        setup + db + database "omni" (first run only) + serve :8069
#   scripts/omni.sh test       setup + db + fresh database + pytest-odoo over every test + drop
#   scripts/omni.sh lint       ruff + pylint-odoo on addons/ and tests/
#   scripts/omni.sh bench      benchmarks (figures, no pass/fail)
#   scripts/omni.sh db-stop    stop the private PostgreSQL cluster, if one was started
#
# Every step prints "omni: ..." lines; every failure ends with one "omni: ERROR: ..." line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-$HOME/.cache/omni/odoo-18.0}
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}
VENV=${OMNI_VENV:-$ROOT/.venv}
STATE=$ROOT/.omni
PY=${PYTHON:-python3}
OMNI_DB=${OMNI_DB:-omni}
OMNI_HTTP_PORT=${OMNI_HTTP_PORT:-8069}
OMNI_MODULES=omni_order,omni_carrier,omni_store_pos,omni_loyalty
PRIVATE_PG_PORT=${OMNI_PRIVATE_PG_PORT:-55432}

say() { printf 'omni: %s\n' "$*" >&2; }
die() { printf 'omni: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Odoo source tree
# ---------------------------------------------------------------------------------------------
odoo_tree_ok() {  # prints nothing; true when $1 is an Odoo 18.0 source tree
    local rel=$1/odoo/release.py
    [ -f "$1/odoo-bin" ] && [ -f "$rel" ] && [ -f "$1/requirements.txt" ] \
        && [ -d "$1/addons/sale_stock" ] \
        && grep -Eq '^version_info = \(18, 0,' "$rel"
}

ensure_odoo_src() {
    mkdir -p "$STATE"
    if [ -d "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
        odoo_tree_ok "$ODOO_SRC" && return 0
        local found="no odoo/release.py"
        [ -f "$ODOO_SRC/odoo/release.py" ] && found=$(grep -E '^version_info' "$ODOO_SRC/odoo/release.py" || true)
        die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree ($found). It must contain odoo-bin, odoo/release.py with version_info = (18, 0, ...), requirements.txt and addons/. Point ODOO_SRC at such a tree or empty the folder to let the setup clone it."
    fi
    say "no Odoo tree at ODOO_SRC=$ODOO_SRC; shallow-cloning Odoo 18.0 from $ODOO_GIT_URL"
    mkdir -p "$(dirname "$ODOO_SRC")"
    rm -rf "$ODOO_SRC.partial"
    if timeout 900 git clone --quiet --depth 1 --branch 18.0 "$ODOO_GIT_URL" "$ODOO_SRC.partial" 2>"$STATE/clone.log"; then
        rm -rf "$ODOO_SRC" && mv "$ODOO_SRC.partial" "$ODOO_SRC"
    else
        rm -rf "$ODOO_SRC.partial"
        die "ODOO_SRC=$ODOO_SRC is missing or empty, and cloning Odoo 18.0 into it failed (see $STATE/clone.log). Put an Odoo 18.0 Community source tree there (the folder holding odoo-bin, odoo/ and addons/) or set ODOO_SRC to one."
    fi
    odoo_tree_ok "$ODOO_SRC" || die "the clone at ODOO_SRC=$ODOO_SRC is not Odoo 18.0"
}

# ---------------------------------------------------------------------------------------------
# Python environment
# ---------------------------------------------------------------------------------------------
req_stamp() {  # fingerprint of everything that decides what the venv holds
    cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements.txt" "$ROOT/config/pip-constraints.txt" \
        | sha256sum | cut -d' ' -f1
    echo "$ODOO_SRC"
}

ensure_venv() {
    ensure_odoo_src
    local stamp_file=$VENV/.omni-stamp want
    want=$(req_stamp)
    if [ -x "$VENV/bin/python" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
        return 0
    fi
    "$PY" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 10))' \
        || die "Python >= 3.10 is needed for Odoo 18 ($PY is $("$PY" -V 2>&1)); set PYTHON=/path/to/python3.11"
    say "preparing $VENV (Odoo requirements + ours; first time takes a few minutes)"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV" || die "could not create $VENV (python3-venv installed?)"
    local pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
    export PIP_CONSTRAINT=$ROOT/config/pip-constraints.txt   # setuptools<70 for old sdists
    "${pip[@]}" install "pip>=23" wheel "setuptools<70" >/dev/null
    # python-ldap is only for auth_ldap (unused here) and needs libldap/libsasl headers: left out.
    grep -viE '^\s*python-ldap' "$ODOO_SRC/requirements.txt" >"$STATE/odoo-requirements.txt"
    "${pip[@]}" install -r "$STATE/odoo-requirements.txt" \
        || die "installing Odoo's requirements failed (see the pip output above); C headers for psycopg2 (libpq-dev) and lxml (libxml2-dev, libxslt1-dev) may be missing"
    # Odoo itself, editable, so that OCA wheels (odoo-addon-*) see the 'odoo' distribution.
    "${pip[@]}" install --no-deps --no-build-isolation -e "$ODOO_SRC" >/dev/null \
        || die "installing Odoo from ODOO_SRC=$ODOO_SRC failed"
    "${pip[@]}" install -r "$ROOT/requirements.txt" || die "installing requirements.txt failed"
    echo "$want" >"$stamp_file"
    say "Python environment ready"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: PG* variables, then 127.0.0.1:5432, then a private cluster under .omni/
# ---------------------------------------------------------------------------------------------
pg_bindir() {
    local d
    for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
        [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

pg_answers() {  # host port user
    PGCONNECT_TIMEOUT=3 psql -h "$1" -p "$2" -U "$3" -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

write_pg_env() {
    mkdir -p "$STATE"
    printf 'PGHOST=%s\nPGPORT=%s\nPGUSER=%s\n' "$1" "$2" "$3" >"$STATE/pg.env"
}

ensure_pg() {
    mkdir -p "$STATE"
    command -v psql >/dev/null || die "psql not found: install the PostgreSQL client (Debian: apt-get install postgresql-client) or use docker compose"
    id -u omni-pg >/dev/null 2>&1 || [ "$(id -u)" != 0 ] || useradd --system --no-create-home --shell /usr/sbin/nologin omni-pg || true
    local host=${PGHOST:-127.0.0.1} port=${PGPORT:-5432} user=${PGUSER:-$(id -un)}
    if [ -z "${PGHOST:-}${PGPORT:-}" ] && [ -f "$(private_pg_base)/pgdata/PG_VERSION" ]; then
        say "a private cluster exists under $(private_pg_base)/pgdata: using it (make db-stop stops it)"
        start_private_pg
        return 0
    fi
    if pg_answers "$host" "$port" "$user"; then
        say "PostgreSQL at $host:$port as $user"
        write_pg_env "$host" "$port" "$user"
        return 0
    fi
    if [ -n "${PGHOST:-}${PGPORT:-}" ] && [ "${OMNI_PG_FALLBACK:-1}" = 0 ]; then
        die "no PostgreSQL answers at PGHOST=$host PGPORT=$port as PGUSER=$user"
    fi
    say "no PostgreSQL answers at $host:$port; using the private cluster under .omni/pgdata"
    start_private_pg
}

private_pg_base() {  # where the private cluster lives: .omni/, or (root, untraversable repo) /var/lib
    if [ "$(id -u)" = 0 ] && ! runuser -u omni-pg -- test -x "$STATE" 2>/dev/null; then
        echo "/var/lib/omni-pg/$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
    else
        echo "$STATE"
    fi
}

start_private_pg() {
    local bindir owner=omni
    bindir=$(pg_bindir) || die "no PostgreSQL answers and no PostgreSQL server binaries (initdb, pg_ctl) are installed to start a private one. Install PostgreSQL (Debian: apt-get install postgresql) or set PGHOST/PGPORT/PGUSER to a running server."
    local as=()
    if [ "$(id -u)" = 0 ]; then   # PostgreSQL refuses to run as root: use an unprivileged user
        id -u omni-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin omni-pg \
            || die "running as root, and the unprivileged user omni-pg could not be created for the private PostgreSQL"
        as=(runuser -u omni-pg --)
    fi
    local base; base=$(private_pg_base)
    local data=$base/pgdata sock=$base/pgrun
    mkdir -p "$data" "$sock"
    [ "$base" = "$STATE" ] || ln -sfn "$base" "$STATE/private-pg"
    [ "$(id -u)" = 0 ] && chown omni-pg "$data" "$sock" && chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "initialising a private PostgreSQL cluster in $data"
        "${as[@]}" "$bindir/initdb" -D "$data" -U "$owner" --auth=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
            || "${as[@]}" "$bindir/initdb" -D "$data" -U "$owner" --auth=trust -E UTF8 >"$STATE/initdb.log" 2>&1 \
            || die "initdb failed, see $STATE/initdb.log"
    fi
    if ! pg_answers 127.0.0.1 "$PRIVATE_PG_PORT" "$owner"; then
        touch "$base/pg.log" && { [ "$(id -u)" != 0 ] || chown omni-pg "$base/pg.log"; }
        "${as[@]}" "$bindir/pg_ctl" -D "$data" -l "$base/pg.log" -w -t 60 \
            -o "-p $PRIVATE_PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
            || die "the private PostgreSQL did not start, see $base/pg.log (port $PRIVATE_PG_PORT taken? set OMNI_PRIVATE_PG_PORT)"
    fi
    pg_answers 127.0.0.1 "$PRIVATE_PG_PORT" "$owner" || die "the private PostgreSQL does not answer on 127.0.0.1:$PRIVATE_PG_PORT"
    say "private PostgreSQL on 127.0.0.1:$PRIVATE_PG_PORT as $owner"
    write_pg_env 127.0.0.1 "$PRIVATE_PG_PORT" "$owner"
}

stop_private_pg() {
    local bindir data; data=$(private_pg_base)/pgdata
    [ -f "$data/postmaster.pid" ] || { say "no private PostgreSQL is running"; return 0; }
    bindir=$(pg_bindir) || die "pg_ctl not found"
    if [ "$(id -u)" = 0 ]; then runuser -u omni-pg -- "$bindir/pg_ctl" -D "$data" -m fast stop
    else "$bindir/pg_ctl" -D "$data" -m fast stop; fi
}

load_pg_env() { set -a; . "$STATE/pg.env"; set +a; }

# ---------------------------------------------------------------------------------------------
# Odoo configuration
# ---------------------------------------------------------------------------------------------
site_addons() {  # where pip puts OCA wheels (odoo/addons namespace inside site-packages)
    "$VENV/bin/python" - <<'EOF'
import sysconfig, pathlib
p = pathlib.Path(sysconfig.get_paths()["purelib"]) / "odoo" / "addons"
print(p if p.is_dir() else "")
EOF
}

write_odoo_conf() {  # $1 = target file; fills config/odoo.conf's placeholders
    local extra addons
    extra=$(site_addons)
    addons="$ROOT/addons,$ODOO_SRC/addons,$ODOO_SRC/odoo/addons${extra:+,$extra}"
    sed -e "s#^addons_path.*#addons_path = $addons#" \
        -e "s#^db_host.*#db_host = $PGHOST#" \
        -e "s#^db_port.*#db_port = $PGPORT#" \
        -e "s#^db_user.*#db_user = $PGUSER#" \
        -e "s#^data_dir.*#data_dir = $STATE/filestore#" \
        -e "s#^http_port.*#http_port = $OMNI_HTTP_PORT#" \
        "$ROOT/config/odoo.conf" >"$1"
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"; }

db_exists() { psql -d postgres -Atqc "select 1 from pg_database where datname='$1'" | grep -q 1; }

omni_modules_installed() {  # true when all four modules are installed in database $1
    [ "$(psql -d "$1" -Atqc "select count(*) from ir_module_module where state='installed' and name in ('omni_order','omni_carrier','omni_store_pos','omni_loyalty')" 2>/dev/null)" = 4 ]
}

RTLCSS_VERSION=4.3.0
ensure_rtlcss() {  # Odoo mirrors its stylesheets for right-to-left languages with rtlcss (npm)
    local bin=$STATE/node/node_modules/.bin
    if [ ! -x "$bin/rtlcss" ] && ! command -v rtlcss >/dev/null; then
        if command -v npm >/dev/null; then
            say "installing rtlcss $RTLCSS_VERSION for right-to-left languages (once)"
            npm install --prefix "$STATE/node" --no-audit --no-fund "rtlcss@$RTLCSS_VERSION" \
                >"$STATE/rtlcss-install.log" 2>&1 \
                || say "rtlcss could not be installed (see $STATE/rtlcss-install.log): Arabic screens keep a left-to-right layout"
        else
            say "npm not found: Odoo cannot mirror its screens for right-to-left languages (install Node.js/npm)"
        fi
    fi
    export PATH="$bin:$PATH"
}

prepare() {  # everything both run and test need
    mkdir -p "$STATE"
    ensure_venv
    ensure_rtlcss
    ensure_pg
    load_pg_env
    write_odoo_conf "$STATE/odoo.conf"
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
cmd_run() {
    prepare
    if db_exists "$OMNI_DB" && ! omni_modules_installed "$OMNI_DB"; then
        say "database $OMNI_DB exists but Omni is not fully installed in it: installing now"
        odoo_bin -c "$STATE/odoo.conf" -d "$OMNI_DB" -i "$OMNI_MODULES" --stop-after-init \
            --logfile="$STATE/install.log" || die "installing into $OMNI_DB failed, see $STATE/install.log"
    elif ! db_exists "$OMNI_DB"; then
        say "first run: creating database $OMNI_DB with the four Omni modules and demo data (a few minutes)"
        odoo_bin -c "$STATE/odoo.conf" -d "$OMNI_DB" -i "$OMNI_MODULES" \
            --stop-after-init --logfile="$STATE/install.log" \
            || die "creating database $OMNI_DB failed, see $STATE/install.log"
        omni_modules_installed "$OMNI_DB" || die "the Omni modules did not install in $OMNI_DB, see $STATE/install.log"
    else
        say "reusing database $OMNI_DB"
    fi
    "$ROOT/scripts/simulators.sh" start "$STATE" "$VENV/bin/python" || say "carrier simulators not started (see $STATE/sim.log)"
    say "Omni is served on http://localhost:$OMNI_HTTP_PORT  (database $OMNI_DB, login admin / password admin)"
    exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$STATE/odoo.conf" -d "$OMNI_DB" --db-filter="^$OMNI_DB\$"
}

ensure_chromium() {  # Odoo's tours (HttpCase.start_tour) need a headless Chrome/Chromium
    local b
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$b" >/dev/null && return 0
    done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing Debian's chromium for the browser tests (once)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
            >"$STATE/chromium-install.log" 2>&1 \
            || die "installing chromium failed (see $STATE/chromium-install.log); install it (apt-get install chromium) and run again"
    else
        die "the browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium) and run again"
    fi
}

cmd_test() {
    prepare
    ensure_chromium
    local rc=0 conf=$STATE/odoo-test.conf modules=${OMNI_TEST_MODULES:-$OMNI_MODULES}
    # pytest's configuration: test mode on (installation below runs without it, so that
    # Odoo does not run every dependency's at_install tests)
    { cat "$STATE/odoo.conf"; echo "test_enable = True"; } >"$conf"
    local install_log
    if [ -n "${OMNI_KEEP_DB:-}" ]; then   # developer loop: reuse (and update) a named database
        TEST_DB=$OMNI_KEEP_DB
        install_log=$STATE/install-$TEST_DB.log
        : >"$install_log"   # Odoo appends to --logfile: one run per file, so checks see this run only
        if db_exists "$TEST_DB"; then
            say "updating $modules in kept database $TEST_DB"
            odoo_bin -c "$STATE/odoo.conf" -d "$TEST_DB" -u "$modules" --stop-after-init \
                --logfile="$install_log" || { tail -40 "$install_log" >&2; die "updating $TEST_DB failed"; }
        fi
    else
        TEST_DB="omni_test_$(date +%Y%m%d%H%M%S)_$$"
        install_log=$STATE/install-$TEST_DB.log
        trap 'dropdb --if-exists "$TEST_DB" >/dev/null 2>&1 || true' EXIT  # silent: pytest's summary stays last
    fi
    local db=$TEST_DB
    export OMNI_TEST_DB=$db
    db_exists "$db" || { say "creating test database $db with $modules"
    odoo_bin -c "$STATE/odoo.conf" -d "$db" -i "$modules" --without-demo=all --stop-after-init \
        --logfile="$install_log" || { tail -40 "$install_log" >&2; die "installing the modules into $db failed, see $install_log"; }; }
    # The installation log must be free of errors and warnings raised by our code.
    "$VENV/bin/python" "$ROOT/scripts/check_log.py" --quiet "$install_log" || die "the installation logged warnings or errors (above)"
    [ -n "${OMNI_KEEP_DB:-}" ] || rm -f "$install_log"
    local paths=()
    if [ $# -gt 0 ]; then paths=("$@"); else
        local m; for m in ${modules//,/ }; do [ -d "$ROOT/addons/$m/tests" ] && paths+=("$ROOT/addons/$m/tests"); done
        [ -z "${OMNI_TEST_MODULES:-}" ] && paths+=("$ROOT/tests")
    fi
    say "running pytest-odoo on ${paths[*]#$ROOT/}"
    cd "$ROOT"
    # --odoo-http: serve Odoo on a free port, so that HttpCase (controllers, tours) runs
    "$VENV/bin/python" -m pytest -p no:cacheprovider --odoo-http --odoo-config="$conf" --odoo-database="$db" \
        --odoo-log-level="${OMNI_TEST_LOG_LEVEL:-warn}" "${paths[@]}" || rc=$?
    return $rc
}

install_check_one() {  # $1 = label, $2 = modules, $3.. = extra odoo-bin options; own DB, dropped after
    local label=$1 modules=$2 db="omni_check_${1}_$$" log=$STATE/check-$1.log rc=0 want got
    shift 2
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
    : >"$log"   # Odoo appends to --logfile
    odoo_bin -c "$STATE/odoo.conf" -d "$db" -i "$modules" --stop-after-init --logfile="$log" "$@" || rc=$?
    if [ "$rc" = 0 ]; then
        want=$(tr ',' '\n' <<<"$modules" | wc -l)
        got=$(psql -d "$db" -Atqc "select count(*) from ir_module_module where state='installed' and name = any(string_to_array('$modules', ','))")
        if [ "$got" != "$want" ]; then
            echo "omni: $label: only $got of $want modules ($modules) are installed" >&2
            rc=1
        fi
    fi
    if [ "$rc" = 0 ] && ! "$VENV/bin/python" "$ROOT/scripts/check_log.py" --quiet "$log"; then
        rc=1
    fi
    dropdb --if-exists "$db" >/dev/null 2>&1 || true
    if [ "$rc" = 0 ]; then
        say "install check $label: OK ($modules)"
    else
        say "install check $label: FAILED, see $log"
        tail -25 "$log" >&2
    fi
    return "$rc"
}

cmd_check_install() {
    prepare
    say "installing each module alone (with its dependencies) into an empty database, and all four with demo data"
    local pids=() labels=() m rc=0 i=0
    # two at a time: the machine has two cores
    for spec in omni_order:omni_order:--without-demo=all omni_loyalty:omni_loyalty:--without-demo=all \
                omni_carrier:omni_carrier:--without-demo=all omni_store_pos:omni_store_pos:--without-demo=all \
                all_demo:"$OMNI_MODULES":--log-level=info; do
        IFS=: read -r label m opt <<<"$spec"
        install_check_one "$label" "$m" "$opt" & pids+=($!); labels+=("$label")
        i=$((i + 1))
        if [ $((i % 2)) = 0 ]; then for p in "${pids[@]}"; do wait "$p" || rc=1; done; pids=(); fi
    done
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    [ $rc = 0 ] || die "install checks failed (logs in $STATE/check-*.log)"
}

cmd_lint() {
    ensure_venv
    cd "$ROOT"
    say "ruff"
    "$VENV/bin/ruff" check addons tests scripts bench
    "$VENV/bin/ruff" format --check addons tests scripts bench
    say "pylint-odoo (mandatory checks)"
    "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory addons/* tests
    say "lint clean"
}

cmd_bench() {
    prepare
    cd "$ROOT"
    "$VENV/bin/python" "$ROOT/bench/run.py" --config "$STATE/odoo.conf" "$@"
}

case "${1:-}" in
    setup) ensure_venv ;;
    db) ensure_pg; cat "$STATE/pg.env" ;;
    db-stop) stop_private_pg ;;
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    lint) cmd_lint ;;
    check-install) cmd_check_install ;;
    bench) shift; cmd_bench "$@" ;;
    conf) prepare; echo "$STATE/odoo.conf" ;;
    i18n) shift; prepare; db=${OMNI_I18N_DB:?set OMNI_I18N_DB to a database where the modules are installed}
          "$VENV/bin/python" "$ROOT/scripts/i18n.py" -c "$STATE/odoo.conf" -d "$db" "$@" ;;
    *) echo "usage: $0 {setup|db|db-stop|run|test|lint|check-install|bench|conf|i18n}" >&2; exit 2 ;;
esac
