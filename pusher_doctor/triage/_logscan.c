/* scan-logs' native pass over one block of log text: finds the lines holding a keyword and reads each one's
 * fields, the work that cost Python about 36,000 instructions a line (pusher_doctor/triage/logs.py); and the
 * native tally, which applies the common lines to their messages, which cost Python another 11,000.
 *
 * This file finds the same fields the Python parser's regular expressions find, byte for byte (each function
 * below names the expression it stands for), and its tally keeps the messages as logs._Tally does, applying
 * triggers, FCM and created lines as logs.LogScan._apply does; tests/triage/test_logs_native.py compares the two
 * on every fixture, on generated logs, on hostile lines and with small windows. Where a line takes a branch this
 * file does not follow (JSON, a traceback, a channel name that may hold a space) it is marked "raw"; such lines,
 * errors, exceptions and channels not the backend's are handed back to Python, in their order, with their fields.
 *
 * A block is scanned with the GIL released, in the reader's thread, its keyword lines copied out of the reader's
 * buffer; the main thread then applies it, making Python objects only for what it keeps (a message's id and
 * first line, a channel) and for the lines it hands back. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The same words, in the same order (bits), as logs.WORDS: Python checks they agree before using this. */
static const char *const WORDS[] = {"pusher", "fcm", "created", "saved", "traceback", "error", "exception",
                                    "trigger", "fail", "refused", "sent", "success", "delivered"};
enum { N_WORDS = 13, N_SELECTING = 7 };
static Py_ssize_t word_len[N_WORDS];
enum { W_PUSHER = 1 << 0, W_FCM = 1 << 1, W_CREATED = 1 << 2, W_SAVED = 1 << 3, W_EXCEPTION = 1 << 6,
       W_ERROR = 1 << 5, W_TRIGGER = 1 << 7, W_FAIL = 1 << 8, W_REFUSED = 1 << 9, W_SENT = 1 << 10,
       W_SUCCESS = 1 << 11, W_DELIVERED = 1 << 12 };
enum { FAILURE = W_ERROR | W_FAIL | W_EXCEPTION | W_REFUSED, DELIVERED = W_SENT | W_SUCCESS | W_DELIVERED,
       CREATED_WORDS = W_CREATED | W_SAVED };

/* What a line is, as logs.py's kinds: the order of the branches of LogScan._apply. */
enum { RAW = 0, ERROR = 1, TRIGGER = 2, FCM = 3, CREATED = 4, EXCEPTION = 5, OTHER = 6 };

/* zero bytes after a lowered line: words_held reads whole 32-byte steps past its end */
enum { PADDING = 64 };

typedef struct { Py_ssize_t start, end; } Span; /* within the line; start < 0: none */

typedef struct {
    Py_ssize_t start, stop, number; /* the line in the block (stop: after cutting and \r), its number */
    int kind, words;
    Span id, channel, event, room, hotel;
} Record;

/* --- bytes as the `re` module sees them in a bytes pattern: ASCII classes only ---------------------------- */

static unsigned char lower[256];
static unsigned char is_word[256];  /* \w: [A-Za-z0-9_] */
static unsigned char is_space[256]; /* \s: [ \t\n\r\f\v] */
static uint16_t first_of[256];      /* which words (bits of their indexes) start with this lowered byte */
static uint16_t second_of[256];     /* ... have it as their second byte */
static uint16_t third_of[256];      /* ... as their third: a word can start only where all three agree */

static void init_tables(void) {
    for (int c = 0; c < 256; c++) {
        lower[c] = (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        is_word[c] = (unsigned char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                                     || c == '_');
        is_space[c] = (unsigned char)(c == ' ' || (c >= '\t' && c <= '\r'));
    }
    for (int w = 0; w < N_WORDS; w++) {
        word_len[w] = (Py_ssize_t)strlen(WORDS[w]);
        first_of[(unsigned char)WORDS[w][0]] |= (uint16_t)(1u << w);
        second_of[(unsigned char)WORDS[w][1]] |= (uint16_t)(1u << w);
        third_of[(unsigned char)WORDS[w][2]] |= (uint16_t)(1u << w);
    }
}

static int az09(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static int az09_dash(unsigned char c) { return az09(c) || c == '-'; }
/* [^\s'",}]: a channel name's bytes */
static int channel_byte(unsigned char c) { return !is_space[c] && c != '\'' && c != '"' && c != ',' && c != '}'; }
/* [^\s'",=:}]: the bytes before `-room` in a bare channel-shaped word */
static int bare_channel_byte(unsigned char c) { return channel_byte(c) && c != '=' && c != ':'; }
/* [\w:.-]: an event name's bytes */
static int event_byte(unsigned char c) { return is_word[c] || c == ':' || c == '.' || c == '-'; }

static inline int at(const unsigned char *s, Py_ssize_t n, Py_ssize_t i, const char *literal) {
    size_t len = strlen(literal); /* a constant once inlined, as is the memcmp */
    return i >= 0 && i + (Py_ssize_t)len <= n && memcmp(s + i, literal, len) == 0;
}

/* A word starting at i with no word byte before it: `word(?<!\wword)`, and `\bword` for a word byte first. */
static inline int word_at(const unsigned char *s, Py_ssize_t n, Py_ssize_t i, const char *word) {
    return at(s, n, i, word) && (i == 0 || !is_word[s[i - 1]]);
}

static Py_ssize_t run(const unsigned char *s, Py_ssize_t n, Py_ssize_t i, int (*in)(unsigned char)) {
    while (i < n && in(s[i])) i++;
    return i;
}

static Py_ssize_t nonword_run(const unsigned char *s, Py_ssize_t n, Py_ssize_t i, Py_ssize_t most) {
    Py_ssize_t j = 0;
    while (i + j < n && j < most && !is_word[s[i + j]]) j++;
    return j;
}

/* `\W{least,3}(CLASS+)` from i, as `re` backtracks it: as many \W as there are (at most 3), then fewer until
 * CLASS matches next (a \W byte can itself be in CLASS, `-` in an id). */
static Span key_value(const unsigned char *s, Py_ssize_t n, Py_ssize_t i, Py_ssize_t least,
                      int (*in)(unsigned char)) {
    Span none = {-1, -1};
    for (Py_ssize_t k = nonword_run(s, n, i, 3); k >= least; k--) {
        if (i + k < n && in(s[i + k])) {
            Span found = {i + k, run(s, n, i + k, in)};
            return found;
        }
    }
    return none;
}

/* --- the fields, each as the regular expression of logs.py it stands for ------------------------------------ */

/* A word ending right before i, with no word byte before it: an id's key. */
static inline int word_before(const unsigned char *s, Py_ssize_t n, Py_ssize_t i, const char *word) {
    return word_at(s, n, i - (Py_ssize_t)strlen(word), word); /* strlen of a literal: a constant once inlined */
}

/* _ID: `message_id=5`, `msg id: 5` (its keys right before the `id`), or an `id` with no word byte before. */
static Span id_by_key(const unsigned char *L, Py_ssize_t n, Py_ssize_t *match_start) {
    Span none = {-1, -1};
    for (const unsigned char *p = L; (p = memchr(p, 'i', (size_t)(L + n - p))) != NULL; p++) {
        Py_ssize_t i = p - L;
        if (i + 1 >= n || L[i + 1] != 'd') continue;
        int keyed = word_before(L, n, i, "message_") || word_before(L, n, i, "message ")
                    || word_before(L, n, i, "message") || word_before(L, n, i, "msg_") || word_before(L, n, i, "msg ")
                    || word_before(L, n, i, "msg");
        if (keyed) {
            Span found = key_value(L, n, i + 2, 0, az09_dash);
            if (found.start >= 0) { *match_start = i; return found; }
        }
        if (i == 0 || !is_word[L[i - 1]]) {
            Span found = key_value(L, n, i + 2, 1, az09_dash);
            if (found.start >= 0) { *match_start = i; return found; }
        }
    }
    return none;
}

/* _MESSAGE_NUMBER: `message #5` or `message 5`, the number ending at a word boundary; the span is the match's
 * (its start decides which of the two forms is leftmost), the number is cut by the caller. */
static Span message_number(const unsigned char *L, Py_ssize_t n, Span *number) {
    Span none = {-1, -1};
    for (const unsigned char *p = L; (p = memchr(p, 'm', (size_t)(L + n - p))) != NULL; p++) {
        Py_ssize_t i = p - L;
        if (!word_at(L, n, i, "message ")) continue;
        Py_ssize_t digits = i + 8 + (i + 8 < n && L[i + 8] == '#');
        Py_ssize_t end = digits;
        while (end < n && L[end] >= '0' && L[end] <= '9') end++;
        if (end > digits && (end == n || !is_word[L[end]])) {
            number->start = digits;
            number->end = end;
            Span found = {i, end};
            return found;
        }
    }
    return none;
}

/* _message_id: the leftmost of the two forms. */
static Span message_id(const unsigned char *L, Py_ssize_t n) {
    Py_ssize_t key_start = -1;
    Span by_key = id_by_key(L, n, &key_start), number = {-1, -1};
    Span by_number = message_number(L, n, &number);
    if (by_number.start < 0) return by_key;
    if (by_key.start < 0) return number;
    /* _ID's match starts at its `id`; no `message #5` can start inside a `message_id`, so the starts decide */
    return by_number.start < key_start ? number : by_key;
}

/* `WORD(?:_SUFFIX)?\W{1,3}(CLASS+)` searched leftmost: _CHANNEL, _EVENT and (least 1, [a-z0-9]) _ROOM_FIELD. */
static Span field(const unsigned char *L, Py_ssize_t n, const char *word, const char *suffix,
                  int (*in)(unsigned char)) {
    Span none = {-1, -1};
    Py_ssize_t len = (Py_ssize_t)strlen(word);
    for (const unsigned char *p = L; (p = memchr(p, word[0], (size_t)(L + n - p))) != NULL; p++) {
        Py_ssize_t i = p - L;
        if (!word_at(L, n, i, word)) continue;
        Py_ssize_t q = i + len;
        /* the suffix is a word byte first, so \W cannot follow the word without it */
        if (at(L, n, q, suffix)) q += (Py_ssize_t)strlen(suffix);
        Span found = key_value(L, n, q, 1, in);
        if (found.start >= 0) return found;
    }
    return none;
}

/* _ANY_CHANNEL: the leftmost run of [^\s'",=:}] holding, after its first byte, `-room`, `-rooms` or
 * `-conversation` then one of `-_.` and a channel byte; the match runs on over channel bytes. */
static Span any_channel(const unsigned char *L, Py_ssize_t n) {
    Span none = {-1, -1};
    Py_ssize_t i = 0;
    while (i < n) {
        if (!bare_channel_byte(L[i])) { i++; continue; }
        Py_ssize_t start = i, end = run(L, n, i, bare_channel_byte);
        for (Py_ssize_t e = start + 1; e < end; e++) {
            if (L[e] != '-') continue;
            Py_ssize_t after[3] = {-1, -1, -1};
            if (at(L, n, e, "-rooms")) after[0] = e + 6;
            if (at(L, n, e, "-room")) after[1] = e + 5;
            if (at(L, n, e, "-conversation")) after[2] = e + 13;
            for (int k = 0; k < 3; k++) {
                Py_ssize_t s = after[k];
                if (s >= 0 && s + 1 < n && (L[s] == '-' || L[s] == '_' || L[s] == '.') && channel_byte(L[s + 1])) {
                    Span found = {start, run(L, n, end, channel_byte)};
                    return found;
                }
            }
        }
        i = end;
    }
    return none;
}

/* _channel's spans; returns 0 when the line takes a branch read only in Python (a name that may hold a space,
 * or a bare name in quotes or after a space), 1 otherwise. */
static int channel(const unsigned char *L, Py_ssize_t n, Span *out) {
    Span found = field(L, n, "channel", "_name", channel_byte);
    if (found.start >= 0) {
        unsigned char quote = L[found.start - 1];
        if (quote == '\'' || quote == '"') {
            const unsigned char *closing = memchr(L + found.start, quote, (size_t)(n - found.start));
            if (closing != NULL) found.end = closing - L;
        } else {
            /* _may_start_a_spaced_name: the spaced-name patterns are Python's alone */
            Py_ssize_t len = found.end - found.start;
            int room = 0;
            for (Py_ssize_t k = found.start; k < found.end && !room; k++)
                room = L[k] == '-' && (at(L + found.start, len, k - found.start, "-room")
                                       || at(L + found.start, len, k - found.start, "-conversation"));
            if (!room) return 0;
        }
        *out = found;
        return 1;
    }
    found = any_channel(L, n);
    if (found.start >= 0) {
        if (found.end < n && (L[found.end] == '\'' || L[found.end] == '"')) return 0;
        if (found.start > 0 && L[found.start - 1] == ' ') return 0;
    }
    *out = found;
    return 1;
}

/* _CREATED: `message created`, `message was created`, `created new message`, `message saved`. */
static int created(const unsigned char *L, Py_ssize_t n) {
    for (const unsigned char *p = L; (p = memchr(p, 'm', (size_t)(L + n - p))) != NULL; p++) {
        Py_ssize_t i = p - L;
        if (!at(L, n, i, "message")) continue;
        Py_ssize_t q = i + 7, j = q;
        while (j < n && !is_word[L[j]]) j++;
        if (j > q) {
            if (at(L, n, j, "created")) return 1;
            if (at(L, n, j, "was")) {
                Py_ssize_t s = j + 3, t = s;
                while (t < n && is_space[L[t]]) t++;
                if (t > s && at(L, n, t, "created")) return 1;
            }
        }
        Py_ssize_t t = q;
        while (t < n && is_space[L[t]]) t++;
        if (t > q && at(L, n, t, "saved")) return 1;
    }
    for (const unsigned char *p = L; (p = memchr(p, 'c', (size_t)(L + n - p))) != NULL; p++) {
        Py_ssize_t i = p - L;
        if (!at(L, n, i, "created")) continue;
        Py_ssize_t q = i + 7, j = q;
        while (j < n && !is_word[L[j]]) j++;
        if (j == q) continue;
        if (at(L, n, j, "message")) return 1;
        if (at(L, n, j, "new")) {
            Py_ssize_t s = j + 3, t = s;
            while (t < n && is_space[L[t]]) t++;
            if (t > s && at(L, n, t, "message")) return 1;
        }
    }
    return 0;
}

/* _HOTEL_FIELD, on the line as written: `hotel=slug-with-dashes`, the slug ending at a word boundary (at the
 * end of its last dash-separated part that is followed by no word byte). */
static Span hotel_field(const unsigned char *S, Py_ssize_t n) {
    Span none = {-1, -1};
    for (const unsigned char *p = S; (p = memchr(p, 'h', (size_t)(S + n - p))) != NULL; p++) {
        Py_ssize_t i = p - S;
        if (!word_at(S, n, i, "hotel")) continue;
        Py_ssize_t q = i + 5;
        if (at(S, n, q, "_slug")) q += 5;
        Py_ssize_t k = nonword_run(S, n, q, 4);
        if (k < 1 || k > 3) continue; /* the slug starts with a word byte: only all the \W can precede it */
        Py_ssize_t g = q + k, e = run(S, n, g, az09), best = -1;
        while (e > g) {
            if (e == n || !is_word[S[e]]) best = e;
            if (e + 1 < n && S[e] == '-' && az09(S[e + 1])) e = run(S, n, e + 1, az09);
            else break;
        }
        if (best >= 0) {
            Span found = {g, best};
            return found;
        }
    }
    return none;
}

/* _EXCEPTION_LINE.match(line.strip()): a dotted name ending in `...Error` or `...Exception` at a boundary. */
static int exception_line(const unsigned char *S, Py_ssize_t n) {
    Py_ssize_t a = 0, b = n;
    while (a < b && is_space[S[a]]) a++;
    while (b > a && is_space[S[b - 1]]) b--;
    Py_ssize_t last_dot = -1;
    for (Py_ssize_t y = a; y < b && (is_word[S[y]] || S[y] == '.'); y++) {
        if (S[y] == '.') { last_dot = y; continue; }
        Py_ssize_t len = at(S, b, y, "Error") ? 5 : at(S, b, y, "Exception") ? 9 : 0;
        if (len && (y + len == b || !is_word[S[y + len]]) && (last_dot < 0 || last_dot - a >= 1)) return 1;
    }
    return 0;
}

/* --- finding the lines -------------------------------------------------------------------------------------- */

/* The bits of the words the lowered line holds (WORDS.held). */
static int words_held_portable(const unsigned char *L, Py_ssize_t n) {
    int held = 0;
    for (Py_ssize_t i = 0; i + 2 < n; i++) {
        unsigned mask = first_of[L[i]] & second_of[L[i + 1]] & third_of[L[i + 2]] & ~held;
        while (mask) {
            int w = __builtin_ctz(mask);
            mask &= mask - 1;
            if (i + word_len[w] <= n && memcmp(L + i, WORDS[w], (size_t)word_len[w]) == 0) held |= 1 << w;
        }
    }
    return held;
}

/* Whether a selecting word starts at i (any case). */
static int selecting_at(const unsigned char *s, Py_ssize_t n, Py_ssize_t i) {
    unsigned mask = first_of[lower[s[i]]] & ((1u << N_SELECTING) - 1);
    while (mask) {
        int w = __builtin_ctz(mask);
        mask &= mask - 1;
        Py_ssize_t len = word_len[w], k = 0;
        if (i + len > n) continue;
        while (k < len && lower[s[i + k]] == (unsigned char)WORDS[w][k]) k++;
        if (k == len) return 1;
    }
    return 0;
}

/* Thirty-two bytes as one value: GCC's vector extension (two SSE2 halves on x86-64, NEON on ARM). */
typedef unsigned char bytes32 __attribute__((vector_size(32)));

/* Thirty-two bytes from p, A-Z folded onto a-z (and some other bytes moved, which no word holds). By pointer: a
 * vector returned by value would change the calling convention between the two targets. */
static inline void load_folded(bytes32 *v, const unsigned char *p) {
    memcpy(v, p, sizeof *v);
    *v |= 0x20;
}

/* The first offset from i where a selecting word starts, or n. Thirty-two offsets at once: a word can start only
 * where its first byte and a later one match (any case: OR 0x20 folds only A-Z onto a-z among the bytes that
 * can match), which few offsets of a log pass; those are checked whole. */
static Py_ssize_t next_selecting_portable(const unsigned char *s, Py_ssize_t n, Py_ssize_t i) {
    for (; i + 32 + 8 <= n; i += 32) {
        bytes32 v0, v2, v4, v5, v6, v8;
        load_folded(&v0, s + i);
        load_folded(&v2, s + i + 2);
        load_folded(&v4, s + i + 4);
        load_folded(&v5, s + i + 5);
        load_folded(&v6, s + i + 6);
        load_folded(&v8, s + i + 8);
        bytes32 m = (bytes32)((v0 == 'p') & (v5 == 'r'))                      /* pusher */
                    | (bytes32)((v0 == 'f') & (v2 == 'm'))                    /* fcm */
                    | (bytes32)((v0 == 'c') & (v6 == 'd'))                    /* created */
                    | (bytes32)((v0 == 's') & (v4 == 'd'))                    /* saved */
                    | (bytes32)((v0 == 't') & (v8 == 'k'))                    /* traceback */
                    | (bytes32)((v0 == 'e') & ((v4 == 'r') | (v8 == 'n'))); /* error, exception */
        uint64_t lanes[4];
        memcpy(lanes, &m, sizeof lanes);
        if (!(lanes[0] | lanes[1] | lanes[2] | lanes[3])) continue;
        for (int k = 0; k < 4; k++) {
            uint64_t bits = lanes[k];
            while (bits) {
                int byte = __builtin_ctzll(bits) / 8; /* a candidate's byte is 0xFF */
                bits &= ~(0xFFULL << (byte * 8));
                if (selecting_at(s, n, i + k * 8 + byte)) return i + k * 8 + byte;
            }
        }
    }
    for (; i < n; i++)
        if (selecting_at(s, n, i)) return i;
    return n;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1

/* Teddy (Hyperscan's literal matcher, here by hand): for each of a word's first three bytes, two 16-entry tables
 * give the words whose byte at that place has this low nibble and this high nibble. A byte and its other case
 * share the low nibble, so the tables hold both cases exactly; an offset is a candidate when some word's bit
 * survives all six lookups. Thirty-two offsets in about thirty instructions. */
static uint8_t teddy_low[3][16], teddy_high[3][16];
/* The same over all thirteen words of a lowered line: words 0-7 in the first set, 8-12 in the second. */
static uint8_t held_low[2][3][16], held_high[2][3][16];

static void init_teddy(void) {
    for (int w = 0; w < N_WORDS; w++) {
        for (int k = 0; k < 3; k++) {
            unsigned char c = (unsigned char)WORDS[w][k], upper = (unsigned char)(c >= 'a' && c <= 'z' ? c - 32 : c);
            if (w < N_SELECTING) {
                teddy_low[k][c & 15] |= (uint8_t)(1u << w);
                teddy_high[k][c >> 4] |= (uint8_t)(1u << w);
                teddy_high[k][upper >> 4] |= (uint8_t)(1u << w);
            }
            held_low[w / 8][k][c & 15] |= (uint8_t)(1u << (w % 8));
            held_high[w / 8][k][c >> 4] |= (uint8_t)(1u << (w % 8));
        }
    }
}

__attribute__((target("avx2"))) static Py_ssize_t next_selecting_avx2(const unsigned char *s, Py_ssize_t n,
                                                                       Py_ssize_t i) {
    __m256i low[3], high[3];
    for (int k = 0; k < 3; k++) {
        low[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)teddy_low[k]));
        high[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)teddy_high[k]));
    }
    const __m256i nibble = _mm256_set1_epi8(15), zero = _mm256_setzero_si256();
/* the words whose byte k each of the 32 bytes from p may be */
#define TEDDY(k, p) _mm256_and_si256(                                                                          \
        _mm256_shuffle_epi8(low[k], _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(p)), nibble)),       \
        _mm256_shuffle_epi8(high[k], _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(p)), 4), \
                                                      nibble)))
    for (; i + 32 + 2 <= n; i += 32) {
        __m256i words = _mm256_and_si256(_mm256_and_si256(TEDDY(0, s + i), TEDDY(1, s + i + 1)), TEDDY(2, s + i + 2));
        uint32_t candidates = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(words, zero));
        for (; candidates; candidates &= candidates - 1) {
            Py_ssize_t offset = i + __builtin_ctz(candidates);
            if (selecting_at(s, n, offset)) return offset;
        }
    }
    return next_selecting_portable(s, n, i);
}

/* words_held over a lowered line followed by at least 34 zero bytes (which no table entry matches). */
__attribute__((target("avx2"))) static int words_held_avx2(const unsigned char *L, Py_ssize_t n) {
    const __m256i nibble = _mm256_set1_epi8(15), zero = _mm256_setzero_si256();
    int held = 0;
    for (int set = 0; set < 2; set++) {
        __m256i low[3], high[3];
        for (int k = 0; k < 3; k++) {
            low[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)held_low[set][k]));
            high[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)held_high[set][k]));
        }
        for (Py_ssize_t i = 0; i < n; i += 32) {
            __m256i buckets = _mm256_and_si256(_mm256_and_si256(TEDDY(0, L + i), TEDDY(1, L + i + 1)),
                                               TEDDY(2, L + i + 2));
            uint32_t candidates = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(buckets, zero));
            if (!candidates) continue;
            uint8_t bytes[32];
            _mm256_storeu_si256((__m256i *)bytes, buckets);
            for (; candidates; candidates &= candidates - 1) {
                int offset = __builtin_ctz(candidates);
                for (unsigned mask = bytes[offset]; mask; mask &= mask - 1) {
                    int w = set * 8 + __builtin_ctz(mask);
                    Py_ssize_t at_ = i + offset;
                    if (at_ + word_len[w] <= n && memcmp(L + at_, WORDS[w], (size_t)word_len[w]) == 0) held |= 1 << w;
                }
            }
        }
    }
    return held;
}

__attribute__((target("avx2"))) static Py_ssize_t count_newlines_avx2(const unsigned char *s, Py_ssize_t n) {
    Py_ssize_t total = 0, i = 0;
    const __m256i nl = _mm256_set1_epi8('\n'), zero = _mm256_setzero_si256();
#define NEWLINES_AT(p) _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p)), nl)
    while (i + 32 <= n) {
        __m256i counts = zero; /* byte counters, summed before any can pass 255 */
        int k = 0;
        /* four steps a turn: the loop's own bookkeeping was half the instructions */
        for (; k < 252 && i + 128 <= n; k += 4, i += 128)
            counts = _mm256_sub_epi8(_mm256_sub_epi8(counts, _mm256_add_epi8(NEWLINES_AT(s + i), NEWLINES_AT(s + i + 32))),
                                     _mm256_add_epi8(NEWLINES_AT(s + i + 64), NEWLINES_AT(s + i + 96)));
        for (; k < 255 && i + 32 <= n; k++, i += 32) counts = _mm256_sub_epi8(counts, NEWLINES_AT(s + i));
        __m256i sums = _mm256_sad_epu8(counts, zero);
        total += _mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) + _mm256_extract_epi64(sums, 2)
                 + _mm256_extract_epi64(sums, 3);
    }
    for (; i < n; i++) total += s[i] == '\n';
    return total;
}
#undef NEWLINES_AT
#undef TEDDY
#endif


static Py_ssize_t count_newlines_portable(const unsigned char *s, Py_ssize_t n) {
    Py_ssize_t total = 0, i = 0;
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        /* byte counters, summed before any can pass 255 */
        __m128i counts = zero;
        for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16)
            counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + i)), nl));
        __m128i sums = _mm_sad_epu8(counts, zero);
        total += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#endif
    for (; i < n; i++) total += s[i] == '\n';
    return total;
}

/* Sixteen signed bytes: one SSE2 or NEON register (a wider vector than the target's is lowered byte by byte). */
typedef signed char signed_bytes16 __attribute__((vector_size(16)));

/* out[:n] = s[:n] with A-Z folded onto a-z (bytes.lower()), sixteen bytes a step: a byte at a time it was a tenth of
 * the native pass. Signed compares, the ones SSE2 has: 0x80-0xFF are negative, never A-Z. */
static void lower_into(unsigned char *out, const unsigned char *s, Py_ssize_t n) {
    Py_ssize_t k = 0;
    for (; k + 16 <= n; k += 16) {
        signed_bytes16 v;
        memcpy(&v, s + k, sizeof v);
        v |= ((v > 'A' - 1) & (v < 'Z' + 1)) & 0x20;
        memcpy(out + k, &v, sizeof v);
    }
    for (; k < n; k++) out[k] = lower[s[k]];
}

/* The AVX2 versions where the processor has them (chosen when the module loads), else the portable ones. */
static Py_ssize_t (*next_selecting)(const unsigned char *, Py_ssize_t, Py_ssize_t) = next_selecting_portable;
static Py_ssize_t (*count_newlines)(const unsigned char *, Py_ssize_t) = count_newlines_portable;
static int (*words_held)(const unsigned char *, Py_ssize_t) = words_held_portable;

/* --- one line ------------------------------------------------------------------------------------------------ */

/* The kind and fields of one line (S as written, L lowered), as LogScan._line's branches read them. */
static void read_line(const unsigned char *S, const unsigned char *L, Py_ssize_t n, Record *r) {
    Span none = {-1, -1};
    r->id = r->channel = r->event = r->room = r->hotel = none;
    if ((n > 0 && S[0] == '{') || at(L, n, 0, "traceback")) { r->kind = RAW; return; }
    int w = r->words;
    r->id = message_id(L, n);
    if ((w & W_PUSHER) && (w & FAILURE)) {
        r->kind = channel(L, n, &r->channel) ? ERROR : RAW;
    } else if ((w & W_PUSHER) && (w & W_TRIGGER)) {
        r->kind = channel(L, n, &r->channel) ? TRIGGER : RAW;
        r->event = field(L, n, "event", "_name", event_byte);
    } else if ((w & W_FCM) && (w & DELIVERED)) {
        r->kind = FCM;
    } else if (r->id.start >= 0 && (w & CREATED_WORDS) && created(L, n)) {
        r->kind = CREATED;
        r->room = field(L, n, "room", "_number", az09);
        r->hotel = hotel_field(S, n);
        /* `hotel=hotel paradise`: a slug with a space is read by _SPACED_HOTEL_FIELD, in Python */
        if (r->hotel.start >= 0 && r->hotel.end < n && S[r->hotel.end] == ' ') r->kind = RAW;
    } else if ((w & W_EXCEPTION) || exception_line(S, n)) {
        r->kind = EXCEPTION;
    } else {
        r->kind = OTHER;
    }
}

/* --- the block ---------------------------------------------------------------------------------------------- */

typedef struct { Record *items; Py_ssize_t count, size; } Records;

static int push(Records *records, const Record *r) {
    if (records->count == records->size) {
        Py_ssize_t size = records->size ? records->size * 2 : 1024;
        Record *items = realloc(records->items, (size_t)size * sizeof(Record));
        if (items == NULL) return 0;
        records->items = items;
        records->size = size;
    }
    records->items[records->count++] = *r;
    return 1;
}

/* Phase one, without the GIL: every keyword line of s[:n], read, and copied to `text` (at least n bytes), where
 * the records' offsets point. Returns 0 when out of memory. */
static int scan(const unsigned char *s, Py_ssize_t n, Py_ssize_t first_number, Py_ssize_t line_limit,
                unsigned char *lowered, Records *records, unsigned char *text, Py_ssize_t *newlines) {
    Py_ssize_t copied = 0;
    Py_ssize_t i = 0, counted = 0, number = first_number;
    while ((i = next_selecting(s, n, i)) < n) {
        const unsigned char *nl = memchr(s + i, '\n', (size_t)(n - i));
        Py_ssize_t end = nl ? nl - s : n, start = i;
        while (start > counted && s[start - 1] != '\n') start--;
        number += count_newlines(s + counted, start - counted);
        counted = start;
        Record r;
        r.start = start;
        r.stop = end - start > line_limit ? start + line_limit : end;
        r.number = number + 1;
        Py_ssize_t len = r.stop - r.start;
        lower_into(lowered, s + start, len);
        memset(lowered + len, 0, PADDING);
        r.words = words_held(lowered, len);
        /* line.rstrip(b"\r"): every carriage return at the end */
        while (len > 0 && s[start + len - 1] == '\r') len--;
        r.stop = start + len;
        read_line(s + start, lowered, len, &r);
        memcpy(text + copied, s + start, (size_t)len);
        r.start = copied;
        r.stop = copied += len;
        if (!push(records, &r)) return 0;
        i = end + 1;
    }
    *newlines = number - first_number + count_newlines(s + counted, n - counted);
    return 1;
}

/* A log names the same few hundred channels and events again and again: the str made for a short ASCII one is
 * kept (direct-mapped by a hash of its bytes) and handed out again, so Python neither decodes it nor hashes it
 * anew for its dictionaries. Touched only with the GIL held. */
enum { KEPT_TEXTS = 1024, KEPT_TEXT_LEN = 64 };
static PyObject *kept_texts[KEPT_TEXTS];

static PyObject *text(const unsigned char *line, Span span) {
    if (span.start < 0) Py_RETURN_NONE;
    const unsigned char *bytes = line + span.start;
    Py_ssize_t len = span.end - span.start;
    uint32_t hash = 2166136261u; /* FNV-1a */
    int ascii = len <= KEPT_TEXT_LEN;
    for (Py_ssize_t k = 0; k < len && ascii; k++) {
        ascii = bytes[k] < 128;
        hash = (hash ^ bytes[k]) * 16777619u;
    }
    if (!ascii) return PyUnicode_DecodeUTF8((const char *)bytes, len, "replace");
    PyObject **slot = &kept_texts[hash % KEPT_TEXTS];
    if (*slot != NULL && PyUnicode_GET_LENGTH(*slot) == len && memcmp(PyUnicode_1BYTE_DATA(*slot), bytes, (size_t)len) == 0)
        return Py_NewRef(*slot);
    PyObject *made = PyUnicode_DecodeASCII((const char *)bytes, len, "strict");
    if (made != NULL) Py_XSETREF(*slot, Py_NewRef(made));
    return made;
}

static PyObject *room_channel(const unsigned char *line, const Record *r) {
    if (r->kind != CREATED || r->room.start < 0 || r->hotel.start < 0) Py_RETURN_NONE;
    /* f"{hotel}-room-{room}-chat"; both are ASCII ([a-z0-9-], [A-Za-z0-9]) */
    Py_ssize_t hotel = r->hotel.end - r->hotel.start, room = r->room.end - r->room.start;
    PyObject *name = PyUnicode_New(hotel + room + 11, 127);
    if (name == NULL) return NULL;
    char *out = (char *)PyUnicode_1BYTE_DATA(name);
    memcpy(out, line + r->hotel.start, (size_t)hotel);
    memcpy(out + hotel, "-room-", 6);
    memcpy(out + hotel + 6, line + r->room.start, (size_t)room);
    memcpy(out + hotel + 6 + room, "-chat", 5);
    return name;
}

/* With the GIL: (number, kind, line, words, message id, channel, event, room channel) of a line, after `name` when it
 * is given (a line handed back to Python is applied with its file's name). */
static PyObject *record_tuple(const unsigned char *s, const Record *r, PyObject *name) {
    const unsigned char *line = s + r->start;
    int first = name != NULL;
    PyObject *tuple = PyTuple_New(8 + first);
    if (tuple == NULL) return NULL;
    if (first) PyTuple_SET_ITEM(tuple, 0, Py_NewRef(name));
    int fields = r->kind != RAW;
    PyObject *items[8] = {
        PyLong_FromSsize_t(r->number), PyLong_FromLong(r->kind),
        PyBytes_FromStringAndSize((const char *)line, r->stop - r->start), PyLong_FromLong(r->words),
        fields ? text(line, r->id) : Py_NewRef(Py_None), fields ? text(line, r->channel) : Py_NewRef(Py_None),
        fields ? text(line, r->event) : Py_NewRef(Py_None), room_channel(line, r),
    };
    int ok = 1;
    for (int k = 0; k < 8; k++) {
        ok = ok && items[k] != NULL;
        PyTuple_SET_ITEM(tuple, first + k, items[k] != NULL ? items[k] : Py_NewRef(Py_None));
    }
    if (!ok) Py_CLEAR(tuple);
    else PyObject_GC_UnTrack(tuple); /* it holds no containers: the collector need not visit it */
    return tuple;
}

/* --- a block, scanned ----------------------------------------------------------------------------------------- */

/* The keyword lines of one block, read, with their bytes copied out of the reader's buffer (read into again while
 * the block waits to be applied). */
typedef struct {
    PyObject_HEAD
    Records records;
    unsigned char *text;
    Py_ssize_t newlines;
} Block;

static void block_dealloc(Block *self) {
    free(self->records.items);
    free(self->text);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* For the tests: (number, kind, line, words, message id, channel, event, room channel) per line. */
static PyObject *block_records(Block *self, PyObject *unused) {
    PyObject *list = PyList_New(self->records.count);
    for (Py_ssize_t k = 0; list != NULL && k < self->records.count; k++) {
        PyObject *item = record_tuple(self->text, &self->records.items[k], NULL);
        if (item == NULL) Py_CLEAR(list);
        else PyList_SET_ITEM(list, k, item);
    }
    return list;
}

static PyMethodDef block_methods[] = {
    {"records", (PyCFunction)block_records, METH_NOARGS, "records() -> the keyword lines as tuples (for the tests)"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef block_members[] = {
    {"newlines", T_PYSSIZET, offsetof(Block, newlines), READONLY, "the block's newlines"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject BlockType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pusher_doctor.triage._logscan.Block",
    .tp_basicsize = sizeof(Block), .tp_flags = Py_TPFLAGS_DEFAULT, .tp_dealloc = (destructor)block_dealloc,
    .tp_methods = block_methods, .tp_members = block_members, .tp_doc = "The keyword lines of one block, read.",
};

static PyObject *scan_block(PyObject *self, PyObject *args) {
    Py_buffer view;
    Py_ssize_t end, first_number, line_limit;
    if (!PyArg_ParseTuple(args, "y*nnn", &view, &end, &first_number, &line_limit)) return NULL;
    if (end < 0 || end > view.len || line_limit < 1) {
        PyBuffer_Release(&view);
        return PyErr_Format(PyExc_ValueError, "end %zd or line limit %zd out of range", end, line_limit);
    }
    Block *block = PyObject_New(Block, &BlockType);
    if (block == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    block->records.items = NULL;
    block->records.count = block->records.size = 0;
    block->newlines = 0;
    block->text = malloc((size_t)end + 1);
    unsigned char *lowered = malloc((size_t)line_limit + PADDING);
    int ok = lowered != NULL && block->text != NULL;
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        ok = scan(view.buf, end, first_number, line_limit, lowered, &block->records, block->text, &block->newlines);
        Py_END_ALLOW_THREADS
    }
    free(lowered);
    PyBuffer_Release(&view);
    if (!ok) {
        Py_DECREF(block);
        return PyErr_NoMemory();
    }
    return (PyObject *)block;
}

/* --- the tally: the messages still open, and what the settled ones came to -------------------------------------- */

/* logs._Tally, which is the reference (its docstring says what it does); LogScan._apply's branches for triggers,
 * FCM and created lines are applied here without a Python call per line. */

enum { CREATED_STEP = 1, GUEST_STEP = 2, FCM_STEP = 4, CONVERSATION_STEP = 8 }; /* the module's STEPS, as bits */
enum { ROOM = 1, CONVERSATION = 2, BAD = 3 }; /* a triggered channel, judged */
/* channels judged, kept as logs._channel_kind's cache is: bounded, so memory stays flat */
enum { KEPT_VERDICTS = 4096 };

/* Not GC-tracked: a message holds only its id, file name and room channel (str) and its first line (bytes, or the
 * LogPlace `place` made of it: strings and an int), none of which can refer back to it, so it is in no cycle; and
 * tracking one object per message id would have the collector walk the whole window on its young collections. */
typedef struct Message Message;
struct Message {
    PyObject_HEAD
    PyObject *id, *name, *first, *room_channel; /* first: the line (bytes), or its LogPlace when long */
    Py_ssize_t first_number, last_line;
    int steps;
    Message *older, *newer; /* the window, by when each was last named; the messages dict holds the references */
};

static void message_dealloc(Message *self) {
    Py_XDECREF(self->id);
    Py_XDECREF(self->name);
    Py_XDECREF(self->first);
    Py_XDECREF(self->room_channel);
    PyObject_Free(self);
}

static PyTypeObject MessageType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pusher_doctor.triage._logscan.Message",
    .tp_basicsize = sizeof(Message), .tp_flags = Py_TPFLAGS_DEFAULT, .tp_dealloc = (destructor)message_dealloc,
};

typedef struct { Py_ssize_t messages, guest_triggers, missing; } RoomCounts;

typedef struct {
    PyObject_HEAD
    PyObject *messages;              /* id -> Message */
    Message *oldest, *newest;
    PyObject *place, *on_gap, *last_id;
    PyObject *verdicts;              /* channel -> verdict */
    PyObject *room_index;            /* room channel -> index in room_counts */
    RoomCounts *room_counts;
    Py_ssize_t rooms, rooms_size;
    Py_ssize_t window, settle_every, kept_line, settled_at, last_id_line, total, complete, fcm_without_id;
    int steps, fcm_with_id;
} Tally;

/* GC-aware: `place` and `on_gap` are the caller's callables (a bound method can hold what holds the tally) and
 * `last_id` takes any object from Python, so a tally can be in a cycle the collector must see through. Its Python
 * objects are visited and cleared from this one list, so neither can miss one. */
static const size_t tally_objects[] = {offsetof(Tally, messages), offsetof(Tally, place), offsetof(Tally, on_gap),
                                       offsetof(Tally, last_id), offsetof(Tally, verdicts), offsetof(Tally, room_index)};
enum { N_TALLY_OBJECTS = sizeof tally_objects / sizeof tally_objects[0] };

static PyObject **tally_object(Tally *self, int k) { return (PyObject **)((char *)self + tally_objects[k]); }

static int tally_traverse(Tally *self, visitproc visit, void *arg) {
    for (int k = 0; k < N_TALLY_OBJECTS; k++) Py_VISIT(*tally_object(self, k));
    return 0;
}

/* Breaks a cycle: the messages go with their dict, so the window (borrowed pointers into it) is emptied too. */
static int tally_clear(Tally *self) {
    self->oldest = self->newest = NULL;
    for (int k = 0; k < N_TALLY_OBJECTS; k++) Py_CLEAR(*tally_object(self, k));
    return 0;
}

static void tally_dealloc(Tally *self) {
    PyObject_GC_UnTrack(self);
    tally_clear(self);
    free(self->room_counts);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int tally_init(Tally *self, PyObject *args, PyObject *kwargs) {
    PyObject *place, *on_gap;
    if (!PyArg_ParseTuple(args, "innnOO", &self->steps, &self->window, &self->settle_every, &self->kept_line, &place,
                          &on_gap))
        return -1;
    if (self->messages != NULL) {
        PyErr_SetString(PyExc_TypeError, "a tally is made once");
        return -1;
    }
    self->messages = PyDict_New();
    self->verdicts = PyDict_New();
    self->room_index = PyDict_New();
    if (self->messages == NULL || self->verdicts == NULL || self->room_index == NULL) return -1;
    self->place = Py_NewRef(place);
    self->on_gap = Py_NewRef(on_gap);
    self->last_id = Py_NewRef(Py_None);
    return 0;
}

static RoomCounts *room(Tally *t, PyObject *channel) {
    PyObject *index = PyDict_GetItemWithError(t->room_index, channel);
    if (index != NULL) return &t->room_counts[PyLong_AsSsize_t(index)];
    if (PyErr_Occurred()) return NULL;
    if (t->rooms == t->rooms_size) {
        Py_ssize_t size = t->rooms_size ? t->rooms_size * 2 : 64;
        RoomCounts *counts = realloc(t->room_counts, (size_t)size * sizeof(RoomCounts));
        if (counts == NULL) return (RoomCounts *)PyErr_NoMemory();
        t->room_counts = counts;
        t->rooms_size = size;
    }
    index = PyLong_FromSsize_t(t->rooms);
    if (index == NULL || PyDict_SetItem(t->room_index, channel, index) < 0) {
        Py_XDECREF(index);
        return NULL;
    }
    Py_DECREF(index);
    RoomCounts *counts = &t->room_counts[t->rooms++];
    counts->messages = counts->guest_triggers = counts->missing = 0;
    return counts;
}

/* _Tally._settle: the message has been taken out of the window. */
static int settle(Tally *t, Message *m) {
    t->total++;
    int traced = t->fcm_with_id || !t->fcm_without_id ? t->steps : t->steps & ~FCM_STEP;
    if (m->room_channel != NULL) {
        RoomCounts *counts = room(t, m->room_channel);
        if (counts == NULL) return -1;
        counts->messages++;
        if (m->steps & GUEST_STEP) counts->guest_triggers++;
        else counts->missing++;
    }
    if ((m->steps & traced) == traced) {
        t->complete++;
        return 0;
    }
    PyObject *result = PyObject_CallFunction(t->on_gap, "OOiiOnO", m->id, m->room_channel ? m->room_channel : Py_None,
                                             m->steps, traced, m->name, m->first_number, m->first);
    Py_XDECREF(result);
    return result == NULL ? -1 : 0;
}

static void unlink_message(Tally *t, Message *m) {
    if (m->older != NULL) m->older->newer = m->newer;
    else t->oldest = m->newer;
    if (m->newer != NULL) m->newer->older = m->older;
    else t->newest = m->older;
    m->older = m->newer = NULL;
}

static void append_message(Tally *t, Message *m) {
    m->older = t->newest;
    m->newer = NULL;
    if (t->newest != NULL) t->newest->newer = m;
    else t->oldest = m;
    t->newest = m;
}

/* Takes the oldest message out of the window and settles it. */
static int settle_oldest(Tally *t) {
    Message *m = t->oldest;
    Py_INCREF(m);
    unlink_message(t, m);
    int ok = PyDict_DelItem(t->messages, m->id) == 0 && settle(t, m) == 0;
    Py_DECREF(m);
    return ok ? 0 : -1;
}

/* _Tally.settle_due */
static int settle_due(Tally *t, Py_ssize_t number) {
    if (number - t->settled_at < t->settle_every) return 0;
    t->settled_at = number;
    while (t->oldest != NULL) {
        Py_ssize_t last = t->oldest->last_line;
        if (number - last < t->window && last <= number) break;
        if (settle_oldest(t) < 0) return -1;
    }
    return 0;
}

/* _Tally.touch. `line` (may be NULL) is the line's bytes when the caller has them; else they are made from
 * `bytes` if the message is new. */
static int touch(Tally *t, PyObject *id, PyObject *name, Py_ssize_t number, PyObject *line, const unsigned char *bytes,
                 Py_ssize_t len, int step, PyObject *room_channel) {
    Message *m = (Message *)PyDict_GetItemWithError(t->messages, id);
    if (m != NULL) {
        unlink_message(t, m);
        m->last_line = number;
    } else {
        if (PyErr_Occurred()) return -1;
        PyObject *made = line != NULL ? Py_NewRef(line) : PyBytes_FromStringAndSize((const char *)bytes, len);
        if (made == NULL) return -1;
        PyObject *first = made;
        if (len > t->kept_line) {
            first = PyObject_CallFunction(t->place, "OnO", name, number, made);
            Py_DECREF(made);
            if (first == NULL) return -1;
        }
        m = PyObject_New(Message, &MessageType);
        if (m == NULL) {
            Py_DECREF(first);
            return -1;
        }
        m->id = Py_NewRef(id);
        m->name = Py_NewRef(name);
        m->first = first;
        m->room_channel = NULL;
        m->first_number = m->last_line = number;
        m->steps = 0;
        int stored = PyDict_SetItem(t->messages, id, (PyObject *)m);
        Py_DECREF(m); /* the dict holds it */
        if (stored < 0) return -1;
    }
    append_message(t, m);
    m->steps |= step;
    if (room_channel != NULL && room_channel != Py_None && (step == GUEST_STEP || m->room_channel == NULL))
        Py_XSETREF(m->room_channel, Py_NewRef(room_channel));
    if (step == FCM_STEP) t->fcm_with_id = 1;
    Py_XSETREF(t->last_id, Py_NewRef(id));  /* X: `del tally.last_id` leaves NULL */
    t->last_id_line = number;
    return 0;
}

static PyObject *tally_touch(Tally *self, PyObject *args) {
    PyObject *id, *name, *line, *room_channel = Py_None;
    Py_ssize_t number;
    int step = 0;
    if (!PyArg_ParseTuple(args, "UUnS|iO", &id, &name, &number, &line, &step, &room_channel)) return NULL;
    if (touch(self, id, name, number, line, NULL, PyBytes_GET_SIZE(line), step, room_channel) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *tally_settle_due(Tally *self, PyObject *arg) {
    Py_ssize_t number = PyLong_AsSsize_t(arg);
    if (number == -1 && PyErr_Occurred()) return NULL;
    if (settle_due(self, number) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *tally_settle_all(Tally *self, PyObject *unused) {
    while (self->oldest != NULL)
        if (settle_oldest(self) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *tally_rooms(Tally *self, PyObject *unused) {
    PyObject *rooms = PyDict_New(), *channel, *index;
    Py_ssize_t position = 0;
    while (rooms != NULL && PyDict_Next(self->room_index, &position, &channel, &index)) {
        RoomCounts *c = &self->room_counts[PyLong_AsSsize_t(index)];
        PyObject *counts = Py_BuildValue("(nnn)", c->messages, c->guest_triggers, c->missing);
        if (counts == NULL || PyDict_SetItem(rooms, channel, counts) < 0) Py_CLEAR(rooms);
        Py_XDECREF(counts);
    }
    return rooms;
}

/* The verdict on a triggered channel: judge(channel) -> ("room" | "conversation" | "bad", why a bad one is). */
static int verdict(Tally *t, PyObject *judge, PyObject *channel) {
    PyObject *known = PyDict_GetItemWithError(t->verdicts, channel);
    if (known != NULL) return (int)PyLong_AsLong(known);
    if (PyErr_Occurred()) return -1;
    PyObject *judged = PyObject_CallOneArg(judge, channel);
    if (judged == NULL) return -1;
    int found = BAD;
    if (!PyTuple_Check(judged) || PyTuple_GET_SIZE(judged) != 2) {
        Py_DECREF(judged);
        PyErr_SetString(PyExc_TypeError, "judge(channel) must give (kind, reason)");
        return -1;
    }
    PyObject *kind = PyTuple_GET_ITEM(judged, 0);
    if (PyTuple_GET_ITEM(judged, 1) == Py_None && PyUnicode_Check(kind))
        found = PyUnicode_CompareWithASCIIString(kind, "room") == 0 ? ROOM
                : PyUnicode_CompareWithASCIIString(kind, "conversation") == 0 ? CONVERSATION : BAD;
    Py_DECREF(judged);
    if (PyDict_GET_SIZE(t->verdicts) >= KEPT_VERDICTS) PyDict_Clear(t->verdicts);
    PyObject *value = PyLong_FromLong(found);
    if (value == NULL || PyDict_SetItem(t->verdicts, channel, value) < 0) {
        Py_XDECREF(value);
        return -1;
    }
    Py_DECREF(value);
    return found;
}

/* One line LogScan._apply would apply: returns 1 when applied, 0 when it is to be handed back, -1 on an error. */
static int apply_line(Tally *t, const unsigned char *line, const Record *r, PyObject *name, PyObject *judge,
                      PyObject *recipient_events) {
    Py_ssize_t len = r->stop - r->start;
    int done = 1;
    PyObject *id = NULL, *channel = NULL, *event = NULL, *created_room = NULL;
    if (r->kind == TRIGGER) {
        if (r->channel.start >= 0) {
            channel = text(line, r->channel);
            int judged = channel != NULL ? verdict(t, judge, channel) : -1;
            if (judged < 0) { done = -1; goto out; }
            if (judged == BAD) { done = 0; goto out; } /* reported by Python, with why */
            if (r->id.start >= 0) {
                int step = 0;
                PyObject *room_named = NULL;
                if (judged == ROOM) {
                    event = text(line, r->event);
                    int recipient = event != NULL ? PySequence_Contains(recipient_events, event) : -1;
                    if (recipient < 0) { done = -1; goto out; }
                    if (recipient) { step = GUEST_STEP; room_named = channel; }
                } else {
                    step = CONVERSATION_STEP;
                }
                id = text(line, r->id);
                if (id == NULL || touch(t, id, name, r->number, NULL, line, len, step, room_named) < 0) {
                    done = -1;
                    goto out;
                }
            }
        }
    } else if (r->kind == FCM) {
        if (r->id.start >= 0 && r->id.end > r->id.start) {
            id = text(line, r->id);
            if (id == NULL || touch(t, id, name, r->number, NULL, line, len, FCM_STEP, NULL) < 0) { done = -1; goto out; }
        } else {
            t->fcm_without_id++;
        }
    } else if (r->kind == CREATED) {
        id = text(line, r->id);
        created_room = id != NULL ? room_channel(line, r) : NULL;
        if (created_room == NULL || touch(t, id, name, r->number, NULL, line, len, CREATED_STEP, created_room) < 0) {
            done = -1;
            goto out;
        }
    } else if (r->kind != OTHER) {
        done = 0; /* errors, exceptions and raw lines: Python's */
        goto out;
    }
    if (settle_due(t, r->number) < 0) done = -1;
out:
    Py_XDECREF(id);
    Py_XDECREF(channel);
    Py_XDECREF(event);
    Py_XDECREF(created_room);
    return done;
}

/* apply(block, name, handed_back, judge, recipient_events, in_python): the lines of a block of file `name`, in order;
 * each line it does not apply itself goes to handed_back(name, number, kind, line, words, id, channel, event, room
 * channel), which returns whether the lines after it must go there too (as all do while in_python). */
static PyObject *tally_apply(Tally *self, PyObject *args) {
    Block *block;
    PyObject *file, *handed_back, *judge, *recipient_events;
    int in_python;
    if (!PyArg_ParseTuple(args, "O!UOOOp", &BlockType, &block, &file, &handed_back, &judge, &recipient_events,
                          &in_python))
        return NULL;
    PyObject *result = Py_None;
    for (Py_ssize_t k = 0; k < block->records.count; k++) {
        const Record *r = &block->records.items[k];
        const unsigned char *line = block->text + r->start;
        int done = in_python ? 0 : apply_line(self, line, r, file, judge, recipient_events);
        if (done < 0) { result = NULL; break; }
        if (done) continue;
        PyObject *fields = record_tuple(block->text, r, file);
        PyObject *more = fields != NULL ? PyObject_Call(handed_back, fields, NULL) : NULL;
        Py_XDECREF(fields);
        in_python = more != NULL ? PyObject_IsTrue(more) : -1;
        Py_XDECREF(more);
        if (in_python < 0) { result = NULL; break; }
    }
    return Py_XNewRef(result);
}

static Py_ssize_t tally_length(Tally *self) { return PyDict_GET_SIZE(self->messages); }

static PyMappingMethods tally_mapping = {.mp_length = (lenfunc)tally_length};

static PyMethodDef tally_methods[] = {
    {"touch", (PyCFunction)tally_touch, METH_VARARGS, "touch(id, name, number, line, step=0, room_channel=None)"},
    {"settle_due", (PyCFunction)tally_settle_due, METH_O, "settle_due(number)"},
    {"settle_all", (PyCFunction)tally_settle_all, METH_NOARGS, "settle_all()"},
    {"rooms", (PyCFunction)tally_rooms, METH_NOARGS, "rooms() -> {room channel: (messages, guest triggers, missing)}"},
    {"apply", (PyCFunction)tally_apply, METH_VARARGS, "apply(block, name, handed_back, judge, recipient_events, in_python)"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef tally_members[] = {
    {"total", T_PYSSIZET, offsetof(Tally, total), READONLY, NULL},
    {"complete", T_PYSSIZET, offsetof(Tally, complete), READONLY, NULL},
    {"fcm_with_id", T_INT, offsetof(Tally, fcm_with_id), READONLY, NULL},
    {"fcm_without_id", T_PYSSIZET, offsetof(Tally, fcm_without_id), 0, NULL},
    {"last_id", T_OBJECT, offsetof(Tally, last_id), 0, NULL},
    {"last_id_line", T_PYSSIZET, offsetof(Tally, last_id_line), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject TallyType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pusher_doctor.triage._logscan.Tally",
    /* PyType_GenericNew allocates with PyType_GenericAlloc, which for a GC type is PyObject_GC_New's and tracks it */
    .tp_basicsize = sizeof(Tally), .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, .tp_new = PyType_GenericNew,
    .tp_init = (initproc)tally_init, .tp_dealloc = (destructor)tally_dealloc, .tp_free = PyObject_GC_Del,
    .tp_traverse = (traverseproc)tally_traverse, .tp_clear = (inquiry)tally_clear, .tp_methods = tally_methods,
    .tp_members = tally_members, .tp_as_mapping = &tally_mapping,
    .tp_doc = "Tally(steps, window, settle_every, kept_line, place, on_gap): logs._Tally, natively.",
};

/* For the tests: one line's kind and fields, as scan_block gives them. */
static PyObject *read_one(PyObject *self, PyObject *args) {
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*", &view)) return NULL;
    PyObject *result = NULL;
    unsigned char *lowered = malloc((size_t)view.len + PADDING);
    if (lowered == NULL) {
        PyErr_NoMemory();
    } else {
        const unsigned char *s = view.buf;
        lower_into(lowered, s, view.len);
        memset(lowered + view.len, 0, PADDING);
        Record r;
        memset(&r, 0, sizeof r);
        r.stop = view.len;
        r.number = 1;
        r.words = words_held(lowered, view.len);
        read_line(s, lowered, view.len, &r);
        PyObject *line = record_tuple(s, &r, NULL);
        if (line != NULL) result = PyTuple_GetSlice(line, 1, 8);
        Py_XDECREF(line);
        free(lowered);
    }
    PyBuffer_Release(&view);
    return result;
}

/* The vector routines this processor gets (AVX2 where it has it); for the tests, which hold the portable ones to
 * the same results too: use_portable(True) switches to them, use_portable(False) back. */
static void choose_routines(int portable) {
    next_selecting = next_selecting_portable;
    count_newlines = count_newlines_portable;
    words_held = words_held_portable;
#ifdef HAVE_AVX2_PATH
    if (!portable && __builtin_cpu_supports("avx2")) {
        next_selecting = next_selecting_avx2;
        count_newlines = count_newlines_avx2;
        words_held = words_held_avx2;
    }
#endif
}

static PyObject *use_portable(PyObject *self, PyObject *arg) {
    int portable = PyObject_IsTrue(arg);
    if (portable < 0) return NULL;
    choose_routines(portable);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"scan_block", scan_block, METH_VARARGS,
     "scan_block(buffer, end, first_number, line_limit) -> Block: the keyword lines of buffer[:end], read"},
    {"use_portable", use_portable, METH_O, "use_portable(flag): the portable routines instead of AVX2 (tests)"},
    {"read_line", read_one, METH_VARARGS, "read_line(line) -> (kind, line, words, id, channel, event, room channel)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_logscan", .m_doc = "scan-logs' native pass over a block.", .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__logscan(void) {
    init_tables();
#ifdef HAVE_AVX2_PATH
    init_teddy();
    __builtin_cpu_init();
#endif
    choose_routines(0);
    if (PyType_Ready(&BlockType) < 0 || PyType_Ready(&MessageType) < 0 || PyType_Ready(&TallyType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddObjectRef(m, "Tally", (PyObject *)&TallyType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    PyObject *words = PyTuple_New(N_WORDS);
    if (words == NULL) { Py_DECREF(m); return NULL; }
    for (int w = 0; w < N_WORDS; w++) PyTuple_SET_ITEM(words, w, PyBytes_FromString(WORDS[w]));
    if (PyModule_AddObject(m, "WORDS", words) < 0 || PyModule_AddIntConstant(m, "SELECTING", N_SELECTING) < 0) {
        Py_DECREF(words);
        Py_DECREF(m);
        return NULL;
    }
    /* the steps of the tally's bits, in their order (logs.STEPS): Python checks they agree */
    PyObject *steps = Py_BuildValue("(ssss)", "created", "guest-trigger", "fcm", "conversation-trigger");
    if (steps == NULL || PyModule_AddObject(m, "STEPS", steps) < 0) {
        Py_XDECREF(steps);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
