/* Sets of output files in one directory, for batches and PNG page sets.
 *
 * Unlike quire_atomic_open (one file the user named, symlinks followed),
 * a set's names are made up by the batch in a directory other users may
 * write to. So a name is never opened: each file is written to a new
 * temporary (openat relative to the directory's descriptor, O_CREAT |
 * O_EXCL | O_NOFOLLOW) and renamed over its name with renameat, which
 * replaces a link rather than following it; a name that holds anything but
 * a regular file is refused. Nothing is renamed until cli_outdir_publish,
 * so a caller can write a whole set and publish it only when every file
 * succeeded. Temporaries are removed on SIGINT, SIGTERM and SIGHUP (see
 * cli_signals_start). */
#ifndef QUIRE_CLI_OUTDIR_H
#define QUIRE_CLI_OUTDIR_H

#include "quire.h"

typedef struct cli_outdir cli_outdir;
typedef struct cli_outfile cli_outfile;

/* Opens the directory dir (it must exist). */
int cli_outdir_open(cli_outdir **out, const char *dir, quire_error *err);
/* Removes the temporaries of files not yet published, closes, frees. */
void cli_outdir_close(cli_outdir *d);

/*
 * Starts the file name (one path component) in d: fails with QUIRE_EIO if
 * name holds a symlink, directory, device or anything but a regular file,
 * or a regular file the caller may not write. Safe from several threads.
 */
int cli_outfile_open(cli_outfile **out, cli_outdir *d, const char *name,
                     quire_error *err);
quire_sink cli_outfile_sink(cli_outfile *f);
/* Closes the temporary and queues it for cli_outdir_publish; after a write
 * error removes it instead and says why. Frees f either way. */
int cli_outfile_finish(cli_outfile *f, quire_error *err);
/* The errno of the first failed write to f, else 0: a renderer only
 * learns that its sink failed (cairo calls it "out of memory"), and "No
 * space left on device" is what the user needs to hear. */
int cli_outfile_write_errno(const cli_outfile *f);
/* Removes the temporary and frees f. */
void cli_outfile_abort(cli_outfile *f);

/*
 * Makes every finished file durable and visible: one syncfs, a renameat
 * per file over its name, one fsync of the directory. A name that became
 * anything but a regular file since it was opened is not replaced. Returns
 * 0, or QUIRE_EIO naming the first file not published (after a failed
 * syncfs none is). Safe to call again for files finished since.
 */
int cli_outdir_publish(cli_outdir *d, quire_error *err);

/* The directory's descriptor, for callers that tidy up after publishing. */
int cli_outdir_fd(const cli_outdir *d);

/*
 * From now on SIGINT, SIGTERM and SIGHUP remove every temporary of every
 * set before the process dies of the signal. Call it before starting
 * threads: the signals are blocked here and inherited by them, and one
 * thread waits for them with sigwait. That is why a handler is not used:
 * a handler may interrupt a thread in the middle of creating a temporary
 * while others keep creating theirs, and it may take no lock; the waiting
 * thread takes the lock that every create and rename holds, so it sees
 * each temporary that exists and no new one appears after it. Idempotent.
 */
void cli_signals_start(void);

#endif
