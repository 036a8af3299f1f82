/*
 * repl_input.c: reading lines, from a terminal with editing and history
 * (libedit) or from anything else as plain bytes.
 *
 * Neither way ever blocks while tasks are alive: both wait with
 * coro_repl_wait (standard input and the scheduler together) and read
 * only what is there.  libedit is driven one key at a time (its
 * EL_UNBUFFERED mode: el_gets handles one key and returns the line so
 * far), which is what lets the scheduler run between keys.
 *
 * Output of background tasks while a line is being edited would land in
 * the middle of it.  So during those scheduler steps standard output
 * and error go to a temporary file; if anything was written, the edited
 * line is erased, the output shown, and the line drawn again below it.
 *
 * Plain reading goes through stdio's stdin, unbuffered, so that a script
 * calling io.read() at the prompt reads the next line of a pipe, as in
 * Lua, and so that poll on descriptor 0 tells the truth.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#ifdef CORO_HAVE_LIBEDIT
#include <histedit.h>
#endif

#include "repl.h"

#define HISTORY_FILE ".coro_history"
#define HISTORY_SIZE 1000

struct coro_ReplInput {
    coro_VM *vm;
    bool tty;
    bool at_eof;            /* plain: the input ended after a partial line */
#ifdef CORO_HAVE_LIBEDIT
    EditLine *el;
    History *hist;
    char *histfile;
    const char *prompt;
    char eof_char;
    int capture;            /* temporary file for background output, or -1 */
    int real_out, real_err; /* the terminal, while 1 and 2 go to capture */
    struct termios raw;     /* libedit's mode, restored after a SIGCONT */
    bool have_raw;
#endif
};

typedef struct Line {
    char *data;
    size_t len, cap;
} Line;

static bool line_add(Line *l, char c)
{
    if (l->len + 2 > l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 128;
        char *grown = realloc(l->data, cap);
        if (!grown)
            return false;
        l->data = grown;
        l->cap = cap;
    }
    l->data[l->len++] = c;
    l->data[l->len] = '\0';
    return true;
}

static void background_step(coro_ReplInput *in);

/* ---- plain lines ---------------------------------------------------------- */

static int read_plain(coro_ReplInput *in, const char *prompt, char **out)
{
    if (in->at_eof)
        return CORO_INPUT_EOF;
    if (in->tty) {
        fputs(prompt, stdout);
        fflush(stdout);
    }
    Line l = { NULL, 0, 0 };
    for (;;) {
        if (coro_repl_take_interrupt()) {
            free(l.data);
            if (in->tty)
                fputc('\n', stdout);
            return CORO_INPUT_INTERRUPT;
        }
        if (coro_sched_tasks(in->vm) > 0 && coro_repl_wait(in->vm, STDIN_FILENO) != CORO_WAIT_INPUT) {
            background_step(in);
            continue;
        }
        errno = 0;
        int c = getc(stdin);
        if (c == EOF) {
            bool eintr = ferror(stdin) && errno == EINTR;
            clearerr(stdin);
            if (eintr)
                continue;
            if (l.len == 0) {
                free(l.data);
                if (in->tty)
                    fputc('\n', stdout);
                return CORO_INPUT_EOF;
            }
            in->at_eof = true;
            break;
        }
        if (c == '\n')
            break;
        if (!line_add(&l, (char)c)) {
            free(l.data);
            fprintf(stderr, "coro: not enough memory for the input line\n");
            return CORO_INPUT_EOF;
        }
    }
    if (!l.data && !line_add(&l, '\0'))
        return CORO_INPUT_EOF;
    if (l.len > 0 && l.data[l.len - 1] == '\r')
        l.data[--l.len] = '\0';
    *out = l.data;
    return CORO_INPUT_LINE;
}

/* ---- libedit -------------------------------------------------------------- */

#ifdef CORO_HAVE_LIBEDIT

static char *prompt_of(EditLine *el)
{
    coro_ReplInput *in = NULL;
    el_get(el, EL_CLIENTDATA, &in);
    return (char *)(in && in->prompt ? in->prompt : "> ");
}

static void open_history(coro_ReplInput *in)
{
    HistEvent ev;
    in->hist = history_init();
    if (!in->hist)
        return;
    history(in->hist, &ev, H_SETSIZE, HISTORY_SIZE);
    history(in->hist, &ev, H_SETUNIQUE, 1);
    const char *home = getenv("HOME");
    if (home && *home) {
        size_t n = strlen(home) + sizeof HISTORY_FILE + 2;
        in->histfile = malloc(n);
        if (in->histfile) {
            snprintf(in->histfile, n, "%s/%s", home, HISTORY_FILE);
            history(in->hist, &ev, H_LOAD, in->histfile);
        }
    }
    el_set(in->el, EL_HIST, history, in->hist);
}

static bool open_editor(coro_ReplInput *in)
{
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    struct termios cooked;
    if (tcgetattr(STDIN_FILENO, &cooked) != 0)
        return false;
    in->eof_char = (char)cooked.c_cc[VEOF];
    in->el = el_init("coro", stdin, stdout, stderr);
    if (!in->el)
        return false;
    el_set(in->el, EL_CLIENTDATA, in);
    el_set(in->el, EL_PROMPT, prompt_of);
    el_set(in->el, EL_EDITOR, "emacs");
    el_set(in->el, EL_SIGNAL, 0);
    open_history(in);
    el_source(in->el, NULL);        /* the user's ~/.editrc, if any */

    /* Close-on-exec: processes the scripts start need none of these. */
    in->real_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
    in->real_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
    FILE *tmp = tmpfile();
    in->capture = tmp ? fcntl(fileno(tmp), F_DUPFD_CLOEXEC, 0) : -1;
    if (tmp)
        fclose(tmp);
    return true;
}

static void close_editor(coro_ReplInput *in)
{
    if (in->el)
        el_end(in->el);
    if (in->hist)
        history_end(in->hist);
    free(in->histfile);
    if (in->capture >= 0)
        close(in->capture);
    if (in->real_out >= 0)
        close(in->real_out);
    if (in->real_err >= 0)
        close(in->real_err);
}

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* Display columns of UTF-8 text, counting one per character. */
static size_t columns(const char *s, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            cols++;
    return cols;
}

/* Moves the cursor to the start of the prompt and clears from there. */
static void erase_edit_line(coro_ReplInput *in)
{
    struct winsize ws;
    size_t width = 80;
    if (ioctl(in->real_out, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        width = ws.ws_col;
    const LineInfo *li = el_line(in->el);
    size_t at = strlen(in->prompt) + columns(li->buffer, (size_t)(li->cursor - li->buffer));
    char seq[32];
    size_t rows = at / width;
    if (rows > 0) {
        snprintf(seq, sizeof seq, "\033[%zuA", rows);
        write_all(in->real_out, seq, strlen(seq));
    }
    write_all(in->real_out, "\r\033[J", 4);
}

/* Copies what background tasks wrote to the terminal; a terminal in
 * raw mode may not turn "\n" into "\r\n" by itself. */
static void show_captured(coro_ReplInput *in, off_t size)
{
    struct termios t;
    bool crlf = tcgetattr(in->real_out, &t) == 0 && !(t.c_oflag & OPOST);
    char buf[4096];
    char last = '\n';
    off_t done = 0;
    lseek(in->capture, 0, SEEK_SET);
    while (done < size) {
        ssize_t n = read(in->capture, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += n;
        size_t from = 0;
        for (size_t i = 0; i < (size_t)n; i++) {
            if (crlf && buf[i] == '\n') {
                write_all(in->real_out, buf + from, i - from);
                write_all(in->real_out, "\r\n", 2);
                from = i + 1;
            }
        }
        write_all(in->real_out, buf + from, (size_t)n - from);
        last = buf[n - 1];
    }
    if (last != '\n')
        write_all(in->real_out, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
    if (ftruncate(in->capture, 0) != 0) {
        /* Nothing to do: the next output is appended after the old. */
    }
    lseek(in->capture, 0, SEEK_SET);
}

static void captured_step(coro_ReplInput *in)
{
    fflush(stdout);
    fflush(stderr);
    dup2(in->capture, STDOUT_FILENO);
    dup2(in->capture, STDERR_FILENO);
    coro_repl_sched_step(in->vm, CORO_REPL_BACKGROUND);
    fflush(stdout);
    fflush(stderr);
    dup2(in->real_out, STDOUT_FILENO);
    dup2(in->real_err, STDERR_FILENO);
    off_t size = lseek(in->capture, 0, SEEK_CUR);
    if (size > 0) {
        erase_edit_line(in);
        show_captured(in, size);
        el_set(in->el, EL_REFRESH);
    }
}

/* Leaves the line after Ctrl-C: the cursor goes past its end first (by
 * writing the rest of it again), so "^C" does not cover any of it. */
static void abandon_line(coro_ReplInput *in)
{
    const LineInfo *li = el_line(in->el);
    fwrite(li->cursor, 1, (size_t)(li->lastchar - li->cursor), stdout);
    fputs("^C", stdout);
    fflush(stdout);
    el_set(in->el, EL_UNBUFFERED, 0);
    fputc('\n', stdout);
    fflush(stdout);
}

static int read_edited(coro_ReplInput *in, const char *prompt, char **out)
{
    in->prompt = prompt;
    el_set(in->el, EL_UNBUFFERED, 1);       /* raw mode; draws the prompt */
    in->have_raw = tcgetattr(STDIN_FILENO, &in->raw) == 0;
    for (;;) {
        if (coro_repl_take_winch())
            el_resize(in->el);
        if (coro_repl_take_cont() && in->have_raw) {
            tcsetattr(STDIN_FILENO, TCSADRAIN, &in->raw);
            el_set(in->el, EL_REFRESH);
        }
        if (coro_repl_take_interrupt()) {
            abandon_line(in);
            return CORO_INPUT_INTERRUPT;
        }
        if (coro_repl_wait(in->vm, STDIN_FILENO) != CORO_WAIT_INPUT) {
            background_step(in);
            continue;
        }
        int avail = 0;
        if (ioctl(STDIN_FILENO, FIONREAD, &avail) == 0 && avail == 0) {
            /* Readable with nothing to read: the terminal hung up. */
            el_set(in->el, EL_UNBUFFERED, 0);
            return CORO_INPUT_EOF;
        }
        int count = 0;
        const char *buf = el_gets(in->el, &count);
        /* NULL: a key that leaves the line empty (or a read cut short by
         * a signal, handled above on the next round). */
        if (!buf || count <= 0)
            continue;
        if (count == 1 && buf[0] == in->eof_char) {
            el_set(in->el, EL_UNBUFFERED, 0);
            fputc('\n', stdout);
            fflush(stdout);
            return CORO_INPUT_EOF;
        }
        if (buf[count - 1] == '\n' || buf[count - 1] == '\r') {
            char *line = malloc((size_t)count);
            if (line) {
                memcpy(line, buf, (size_t)count - 1);
                line[count - 1] = '\0';
            }
            el_set(in->el, EL_UNBUFFERED, 0);   /* cooked again for the output */
            if (!line)
                return CORO_INPUT_EOF;
            *out = line;
            return CORO_INPUT_LINE;
        }
    }
}

#endif /* CORO_HAVE_LIBEDIT */

/* ---- both ------------------------------------------------------------------- */

static void background_step(coro_ReplInput *in)
{
#ifdef CORO_HAVE_LIBEDIT
    if (in->el && in->capture >= 0 && in->real_out >= 0 && in->real_err >= 0 && in->prompt) {
        captured_step(in);
        return;
    }
#endif
    coro_repl_sched_step(in->vm, CORO_REPL_BACKGROUND);
}

coro_ReplInput *coro_repl_input_open(coro_VM *vm, bool tty)
{
    coro_ReplInput *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->vm = vm;
    in->tty = tty;
#ifdef CORO_HAVE_LIBEDIT
    in->capture = in->real_out = in->real_err = -1;
    if (tty && open_editor(in))
        return in;
    if (in->el) {
        close_editor(in);
        in->el = NULL;
    }
#endif
    setvbuf(stdin, NULL, _IONBF, 0);
    return in;
}

void coro_repl_input_close(coro_ReplInput *in)
{
    if (!in)
        return;
#ifdef CORO_HAVE_LIBEDIT
    if (in->el)
        close_editor(in);
#endif
    free(in);
}

int coro_repl_input_read(coro_ReplInput *in, const char *prompt, char **line)
{
    *line = NULL;
    /* Each line read gives ready tasks one round, so that tasks started by
     * the previous line make progress even when input never waits (a
     * pipe); their output comes before the next prompt. */
    coro_repl_sched_step(in->vm, CORO_REPL_BACKGROUND);
#ifdef CORO_HAVE_LIBEDIT
    if (in->el) {
        int r = read_edited(in, prompt, line);
        in->prompt = NULL;
        return r;
    }
#endif
    return read_plain(in, prompt, line);
}

void coro_repl_input_remember(coro_ReplInput *in, const char *line)
{
#ifdef CORO_HAVE_LIBEDIT
    if (!in->hist || !line[strspn(line, " \t")])
        return;
    HistEvent ev;
    history(in->hist, &ev, H_ENTER, line);
    if (in->histfile)
        history(in->hist, &ev, H_SAVE, in->histfile);
#else
    (void)in;
    (void)line;
#endif
}

bool coro_repl_input_edits(coro_ReplInput *in)
{
#ifdef CORO_HAVE_LIBEDIT
    return in->el != NULL;
#else
    (void)in;
    return false;
#endif
}
