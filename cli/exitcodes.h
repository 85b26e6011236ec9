/* The documented exit statuses of the quire command (README "Exit status"). */
#ifndef QUIRE_CLI_EXITCODES_H
#define QUIRE_CLI_EXITCODES_H

enum {
  EXIT_OK = 0,        /* success */
  EXIT_INVALID = 1,   /* a report or template is invalid */
  EXIT_USAGE = 2,     /* bad command line */
  EXIT_IO = 3,        /* a file could not be read or written */
  EXIT_NOT_READY = 4, /* the job's report does not exist yet */
  EXIT_NETWORK = 5,   /* connection, TLS, timeout or server failure */
  EXIT_API =
      6, /* the API refused: auth, credits, not found, 422, 429, other 4xx */
  EXIT_JOB_FAILED = 7,   /* the job ended in status failed */
  EXIT_JOB_CANCELED = 8, /* the job was canceled */
  EXIT_TIMEOUT = 9,      /* --wait deadline passed */
  EXIT_INTERNAL = 10     /* out of memory, feature not built in */
};

/* Maps a libquire error code to an exit status. */
int cli_exit_for(int quire_code);

#endif
