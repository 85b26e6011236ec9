#!/usr/bin/env python3
"""The man pages and the program must not disagree.

  man_agree.py QUIRE REPO_DIR

quire(1) (man/quire.1.scd) against the command itself:
  - every command `quire --help` lists has a "## quire NAME" section, and back;
  - for each command, the options its section names are exactly the options
    `quire help NAME` names (-h/--help are common to all and described once);
  - every option either of them names is accepted by the command;
  - every option the command accepts is documented in both: each short letter
    and digit, and each long name the CLI sources declare, is tried;
  - every status in cli/exitcodes.h is in EXIT STATUS, every variable the CLI
    reads with getenv() is in ENVIRONMENT.
libquire(3) (man/libquire.3.scd) against lib/include/quire.h: every exported
function is named there as *quire_name*(), and every name there exists.

Known gaps are declared in the man source as comments, so that fixing the gap
and removing its declaration land together:
  ; help-lacks: COMMAND OPTION...   in the man page, not (yet) in the help
  ; refused: OPTION...              accepted only to be refused with a reason
A declaration that is no longer needed is itself an error.

Prints "not ok: ..." per problem and "N passed, N failed" last.
"""
import concurrent.futures
import os
import re
import subprocess
import sys

QUIRE, REPO = sys.argv[1], sys.argv[2]
SCD = os.path.join(REPO, "man", "quire.1.scd")
SCD3 = os.path.join(REPO, "man", "libquire.3.scd")
COMMON = {"-h", "--help"}
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("not ok: " + what)


LONG = re.compile(r"(?<![\w-])--([a-z0-9][a-z0-9-]*)")
SHORT_HELP = re.compile(r"(?<![\w-])-([A-Za-z0-9])(?=[\s,=\])'|]|$)")
SHORT_MAN = re.compile(r"\*-([A-Za-z0-9])\*")


def opts_in(text, short_re):
    found = {"--" + m for m in LONG.findall(text)}
    found |= {"-" + m for m in short_re.findall(text)}
    return found


def help_defined(text):
    """Options the help defines: in its usage lines, and at the start of a
    line, up to the gap before the description ("  -j, --job JOB_ID   the...")."""
    found = set()
    usage = True
    for line in text.splitlines():
        if usage and not line.strip():
            usage = False
        if usage or line.lstrip().startswith("-"):
            head = line if usage else re.split(r"\s{2,}", line.strip(), 1)[0]
            found |= opts_in(head, SHORT_HELP)
    return found


def man_defined(text):
    """Options the man section defines: entry lines ("*-j*, *--job* _ID_")
    and usage lines ("*quire fetch --job* _JOB_ID_ ...")."""
    found = set()
    for line in text.splitlines():
        if line.startswith(("*-", "*quire", "\t*quire")):
            found |= opts_in(line, SHORT_MAN)
    return found


def run(args, stdin=subprocess.DEVNULL):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONDUIT_", "QUIRE_"))}
    # Nothing a probe does may leave the machine: no key, a closed port.
    env["CONDUIT_BASE_URL"] = "http://127.0.0.1:9"
    try:
        p = subprocess.run([QUIRE] + args, stdin=stdin, capture_output=True,
                           env=env, timeout=20, cwd=os.environ.get("TEST_OUT", "."))
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return -1, "", "timeout"


# ---------------------------------------------------------------- quire(1)
scd = open(SCD, encoding="utf-8").read()
comments = [l[1:].strip() for l in scd.splitlines() if l.startswith(";")]
body = "\n".join(l for l in scd.splitlines() if not l.startswith(";"))

help_lacks = {}  # command -> options
refused = set()
for c in comments:
    m = re.match(r"help-lacks:\s*(\S+)\s+(.*)", c)
    if m:
        help_lacks.setdefault(m.group(1), set()).update(m.group(2).split())
    m = re.match(r"refused:\s*(.*)", c)
    if m:
        refused.update(m.group(1).split())


def section(text, title):
    """The body of '# TITLE' up to the next top-level heading."""
    m = re.search(r"^# " + re.escape(title) + r"\s*$(.*?)(?=^# |\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


commands_text = section(body, "COMMANDS")
check(commands_text, "quire.1.scd has a '# COMMANDS' section")
man_cmds = {}  # name -> (argv prefix, section text)
for m in re.finditer(r"^## quire ([a-z][a-z -]*?)(?=\s+[\[_<*A-Z]|\s*$)(.*?)(?=^## |\Z)",
                     commands_text, re.M | re.S):
    words = m.group(1).split()
    man_cmds[words[0]] = (words, m.group(2))

rc, top_help, _ = run(["--help"])
check(rc == 0, "quire --help exits 0")
help_cmds = set(re.findall(r"^  ([a-z][a-z-]*)\s", top_help.split("Commands:")[-1], re.M))
check(help_cmds, "quire --help lists commands")
for c in sorted(help_cmds - set(man_cmds)):
    check(False, f"quire --help lists '{c}' but quire.1 has no '## quire {c}' section")
for c in sorted(set(man_cmds) - help_cmds):
    check(False, f"quire.1 documents '{c}' but quire --help does not list it")

# Global options: 'quire --help' usage line against COMMON OPTIONS.
common_man = opts_in(section(body, "COMMON OPTIONS"), SHORT_MAN)
usage_top = top_help.split("Commands:")[0]
common_help = opts_in(usage_top, SHORT_HELP)
check(common_man == common_help,
      f"global options: quire --help names {sorted(common_help)}, "
      f"COMMON OPTIONS names {sorted(common_man)}")
for o in sorted(common_man | common_help):
    rc, out, err = run([o])
    check(rc == 0 and out.strip(), f"quire {o} exits 0 and prints something (exit {rc}: {err.strip()})")


def accepted(argv, opt):
    rc, _, err = run(argv + [opt])
    return "unrecognized option" not in err and "no such command" not in err, rc, err


# Candidate long names to try: every name the CLI sources declare in an
# option table, plus anything either document names.
src_names = set()
for root, _, files in os.walk(os.path.join(REPO, "cli")):
    for f in files:
        if f.endswith((".c", ".h")):
            t = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
            src_names |= set(re.findall(r'"([a-z][a-z0-9-]*)",\s*(?:no|required|optional)_argument', t))
check(len(src_names) >= 10,
      f"found the CLI's long option names in cli/ ({len(src_names)}); if the option "
      "tables changed form, update the pattern in tests/tools/man_agree.py")
shorts = [chr(c) for c in range(ord("a"), ord("z") + 1)] + \
         [chr(c) for c in range(ord("A"), ord("Z") + 1)] + list("0123456789")

pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
used_lacks = set()
used_refused = set()
for cmd in sorted(set(man_cmds) & help_cmds):
    argv, text = man_cmds[cmd]
    man_opts = opts_in(text, SHORT_MAN) - COMMON
    rc, help_text, err = run(["help", cmd])
    check(rc == 0 and help_text, f"quire help {cmd} exits 0 ({err.strip()})")
    rc2, help2, _ = run(argv + ["--help"])
    check(rc2 == 0 and help2 == help_text, f"quire {' '.join(argv)} --help prints 'quire help {cmd}'")
    rc3, help3, _ = run(argv + ["-h"])
    check(rc3 == 0 and help3 == help_text, f"quire {' '.join(argv)} -h prints 'quire help {cmd}'")
    help_opts = opts_in(help_text, SHORT_HELP) - COMMON
    lacks = help_lacks.get(cmd, set())
    for o in sorted(help_opts - man_opts):
        check(False, f"{cmd}: '{o}' is in 'quire help {cmd}' but not in the "
                     f"'## quire {cmd}' section of man/quire.1.scd")
    for o in sorted(man_opts - help_opts):
        if o in lacks:
            used_lacks.add((cmd, o))
            continue
        check(False, f"{cmd}: '{o}' is in the '## quire {cmd}' section of "
                     f"man/quire.1.scd but not in 'quire help {cmd}'")
    for o in sorted(lacks & help_opts):
        check(False, f"{cmd}: '{o}' is in the help now: remove it from "
                     "'; help-lacks:' in man/quire.1.scd")
    documented = man_opts | help_opts

    # Everything documented as this command's option is accepted (a mention
    # in prose, "'quire fetch --job' gets its report", is not tried).
    defined = (help_defined(help_text) | man_defined(text)) - COMMON
    futs = {o: pool.submit(accepted, argv, o) for o in sorted(defined)}
    for o, f in futs.items():
        ok, rc, err = f.result()
        check(ok, f"{cmd}: documents '{o}' but 'quire {' '.join(argv)} {o}' says: {err.strip()}")

    # Everything accepted is documented.
    tries = ["-" + s for s in shorts if s != "h"] + \
            ["--" + n for n in sorted(src_names) if n != "help"]
    futs = {o: pool.submit(accepted, argv, o) for o in tries if o not in documented}
    for o, f in futs.items():
        ok, rc, err = f.result()
        if not ok:
            continue
        if o in refused:
            used_refused.add(o)
            check(rc == 2 and "refused" in err,
                  f"{cmd}: '{o}' is declared refused but gives exit {rc}: {err.strip()}")
            continue
        # getopt_long takes a unique prefix of an option ("--job" for
        # "--jobs"); an undocumented option that is also such a prefix
        # escapes this check.
        if o.startswith("--") and any(d.startswith(o) and d != o for d in documented):
            continue
        check(False, f"{cmd}: 'quire {' '.join(argv)} {o}' is accepted but documented "
                     f"neither in 'quire help {cmd}' nor in man/quire.1.scd")
pool.shutdown()

for cmd, opts in sorted(help_lacks.items()):
    for o in sorted(opts):
        if (cmd, o) not in used_lacks and not (cmd in man_cmds and o in opts_in(
                man_cmds[cmd][1], SHORT_MAN) and o in opts_in(run(["help", cmd])[1], SHORT_HELP)):
            check(False, f"'; help-lacks: {cmd} {o}' in man/quire.1.scd is not needed "
                         "any more: remove it")
for o in sorted(refused - used_refused):
    check(False, f"'; refused: {o}' in man/quire.1.scd: no command accepts it any more")

# Exit statuses and environment variables.
exit_text = section(body, "EXIT STATUS")
codes = open(os.path.join(REPO, "cli", "exitcodes.h"), encoding="utf-8").read()
for name, num in re.findall(r"\b(EXIT_[A-Z_]+)\s*=\s*(\d+)", codes):
    check(re.search(r"^\|\s+" + num + r"\s*$", exit_text, re.M),
          f"exit status {num} ({name}) is in EXIT STATUS of quire.1")
env_text = section(body, "ENVIRONMENT")
for root, _, files in os.walk(os.path.join(REPO, "cli")):
    for f in sorted(files):
        if f.endswith(".c"):
            t = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
            for var in sorted(set(re.findall(r'getenv\("([A-Z_][A-Z0-9_]*)"\)', t))):
                check("*" + var + "*" in env_text,
                      f"{var} (read in cli/{f}) is described in ENVIRONMENT of quire.1")

# ---------------------------------------------------------------- libquire(3)
hdr = open(os.path.join(REPO, "lib", "include", "quire.h"), encoding="utf-8").read()
hdr = re.sub(r"/\*.*?\*/", " ", hdr, flags=re.S)
exported = set()
for decl in re.findall(r"QUIRE_EXTERN\b([^;{]*)", hdr):
    m = re.search(r"\b(quire_[a-z0-9_]+)\s*\(", decl)
    if m and "__" not in m.group(1):
        exported.add(m.group(1))
check(len(exported) > 50, f"found the functions of quire.h ({len(exported)})")
man3 = "\n".join(l for l in open(SCD3, encoding="utf-8").read().splitlines()
                 if not l.startswith(";"))
named = set(re.findall(r"\*(quire_[a-z0-9_]+)\*\(\)", man3))
for f in sorted(exported - named):
    check(False, f"libquire(3): {f}() is exported by quire.h but not named in man/libquire.3.scd")
for f in sorted(named - exported):
    check(False, f"libquire(3): man/libquire.3.scd names {f}(), which quire.h does not export")
check(exported == named, "libquire(3) names exactly the functions of quire.h")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
