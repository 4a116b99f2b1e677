/* image_jpeg_huffman.c - a faster Huffman decoder for libjpeg's commonest
 * scan: baseline (or extended) sequential, all components in one scan;
 * and for the first scans of a progressive file.
 *
 * Why: on camera-size JPEGs the entropy decode is three quarters of a
 * thumbnail's CPU (perf: libjpeg-turbo 2.1's decode_mcu_fast), and
 * everything else axle does was already near its floor.  This decoder
 * reads the same bits into the same coefficients; what makes it faster:
 *
 *   - one table look-up decodes a whole coefficient when its code and its
 *     extra bits fit in FAST_BITS (run, value and length at once), the
 *     case for most coefficients of a photo;
 *   - the bit buffer is refilled 7 bytes at a time with one unaligned
 *     load whenever the next 8 bytes hold no 0xFF (stuffing or a marker),
 *     byte by byte only around one.
 *
 * It plugs into libjpeg through the decompressor's entropy-decoder
 * object (jpegint.h, shipped by libjpeg62-turbo-dev): after
 * jpeg_start_decompress, decode_mcu is ours; libjpeg still reads every
 * marker, zeroes the blocks, and does the IDCT.  The coefficients are
 * identical on every valid file (tests/unit/test_jpeg_huffman compares
 * both decoders' pixels).  On damaged data it warns as libjpeg does (a
 * premature end of the segment, the file's end) and reads the same bits
 * into the same coefficients (a partial image is libjpeg's), more
 * strictly in two cases: an invalid Huffman code is a warning here, where
 * libjpeg's fast path silently reads it as zero (both take 17 bits), and
 * DC differences that add up past INT_MAX are an error (JERR_BAD_DCT_COEF,
 * as libjpeg-turbo's progressive decoder; its sequential one, 2.1, wraps
 * around).  axle treats any such warning as damage.  Restart markers go
 * through libjpeg's own marker reader, resync included.
 *
 * A progressive decode that stops early (a thumbnail) has its first scans
 * decoded here too, its refinement scans by libjpeg (see "a progressive
 * file's first scans" below).  Anything else (arithmetic, several
 * sequential scans, a whole progressive decode) keeps libjpeg's decoder.
 * axle's sources are memory buffers, which never suspend; a source that
 * did would read here as the data's end. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>
#include <jpegint.h>

#include "image_internal.h"

/* Bits looked up at once: 2^10 entries of 4 bytes, 4 KB a table. */
#define FAST_BITS 10

/* A look-up entry: bits 0-4 the bits it consumes (0: the code is longer
 * than FAST_BITS), bit 6 set when bits 16-31 hold the coefficient's value
 * (the code and its extra bits both fit), bits 8-15 the symbol; bit 5
 * stays 0, so that (e & 63) is the length for a whole one. */
#define E_LEN(e) ((int)((e) & 31))
#define E_WHOLE 0x40u
#define E_SYM(e) ((int)(((e) >> 8) & 0xFF))
#define E_VALUE(e) ((int16_t)((e) >> 16))

struct htable {
    uint32_t fast[1 << FAST_BITS];
    int32_t maxcode[18];  /* largest code of each length, -1 if none */
    int32_t valoffset[18]; /* code -> index into huffval */
    uint8_t huffval[256];
};

/* The bit reader.  buf holds the next bits from its top; n of them are
 * real (n < 0: the data ran out and zeros were read).  Bits below the
 * real ones are zero or already the right next bits (loads overlap). */
struct bits {
    const uint8_t *p, *end; /* next byte to load, end of the buffer */
    const uint8_t *start;   /* the buffer's start: no walking back past it */
    uint64_t buf;
    int n;
    bool at_marker; /* a marker (or the end) was met: only zeros follow */
};

struct fast_huff {
    struct jpeg_entropy_decoder pub; /* first: libjpeg calls through it */
    struct jpeg_entropy_decoder *libjpeg; /* its own, kept for fallback */
    struct bits b;
    int last_dc[MAX_COMPS_IN_SCAN];
    unsigned restarts_to_go;
    long mcus_left; /* MCUs of the scan still to decode */
    /* per block of an MCU */
    const struct htable *dc[D_MAX_BLOCKS_IN_MCU], *ac[D_MAX_BLOCKS_IN_MCU];
    int comp[D_MAX_BLOCKS_IN_MCU];
    bool dc_needed[D_MAX_BLOCKS_IN_MCU], ac_needed[D_MAX_BLOCKS_IN_MCU];
    JCOEF scratch[64]; /* where coefficients nobody needs go */
    struct htable tables[2][NUM_HUFF_TBLS];
    /* a progressive file's first scans (libjpeg's own entropy object
     * stays; this is found through cinfo->client_data) */
    void (*libjpeg_start_pass)(j_decompress_ptr c);
    int ss, se, al;        /* the scan's spectral band and point transform */
    unsigned eobrun;       /* blocks left in the current run of end-of-bands */
};

/* Zigzag position -> natural (row-major) position; 16 more entries
 * catch a run that overshoots the block on damaged data, as libjpeg's. */
static const uint8_t natural[64 + 16] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63};

/* The signed value of `s` extra bits `v` (JPEG's EXTEND). */
static inline int
extend(uint32_t v, int s)
{
    return v < (1u << (s - 1)) ? (int)v - (int)(1u << s) + 1 : (int)v;
}

/* ---- the tables --------------------------------------------------------- */

/* Builds `t` from libjpeg's table, which libjpeg already checked when it
 * started the scan (counts, symbols).  False if it is unusable. */
static bool
build_table(struct htable *t, const JHUFF_TBL *h, bool is_ac)
{
    int count = 0;
    for (int l = 1; l <= 16; l++)
        count += h->bits[l];
    if (count > 256)
        return false;
    for (int i = 0; !is_ac && i < count; i++)
        if (h->huffval[i] > 15)
            return false; /* a DC difference of more than 15 bits */
    memcpy(t->huffval, h->huffval, sizeof t->huffval);
    memset(t->fast, 0, sizeof t->fast);
    uint32_t code = 0;
    int k = 0;
    for (int l = 1; l <= 16; l++) {
        /* libjpeg's own test (no code all ones, the tree not
         * over-subscribed), here before any entry is written: the spans
         * below stay inside `fast` whatever table comes */
        if (code + h->bits[l] >= (1u << l))
            return false;
        t->valoffset[l] = k - (int32_t)code;
        for (int i = 0; i < h->bits[l]; i++, k++, code++) {
            if (l > FAST_BITS)
                continue;
            int sym = h->huffval[k], s = sym & 15;
            /* every FAST_BITS-bit pattern that starts with this code */
            uint32_t first = code << (FAST_BITS - l), span = 1u << (FAST_BITS - l);
            for (uint32_t j = 0; j < span; j++) {
                uint32_t e = (uint32_t)l | (uint32_t)sym << 8;
                if (is_ac && s && l + s <= FAST_BITS) {
                    uint32_t extra = (j >> (FAST_BITS - l - s)) & ((1u << s) - 1);
                    e = (uint32_t)(l + s) | E_WHOLE | (uint32_t)sym << 8 |
                        (uint32_t)(uint16_t)extend(extra, s) << 16;
                }
                t->fast[first + j] = e;
            }
        }
        t->maxcode[l] = h->bits[l] ? (int32_t)code - 1 : -1;
        code <<= 1;
    }
    t->maxcode[17] = INT32_MAX; /* the search below always stops */
    return true;
}

/* ---- the bit reader ----------------------------------------------------- */

static void
bits_from_source(struct bits *b, j_decompress_ptr c)
{
    b->p = b->start = c->src->next_input_byte;
    b->end = b->p + c->src->bytes_in_buffer;
    b->buf = 0;
    b->n = 0;
    b->at_marker = c->unread_marker != 0; /* libjpeg reads no data past one */
}

/* Whether any byte of `w` is 0xFF. */
static inline bool
has_ff(uint64_t w)
{
    uint64_t x = ~w;
    return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0;
}

/* One byte at a time, for the bytes around a 0xFF and the buffer's end:
 * FF 00 is a data byte 0xFF, FF FF.. fill, FF xx a marker (left unread
 * for libjpeg, and zeros from then on).  At the buffer's end the source
 * is asked for more, as libjpeg would (a memory source then warns of the
 * file's premature end and hands out an EOI). */
static void
refill_slow(struct bits *b, j_decompress_ptr c)
{
    while (b->n <= 56 && !b->at_marker) {
        if (b->p >= b->end) {
            c->src->next_input_byte = b->p;
            c->src->bytes_in_buffer = 0;
            if (!c->src->fill_input_buffer(c) || c->src->bytes_in_buffer == 0) {
                b->at_marker = true; /* a suspending source: no more data */
                break;
            }
            b->p = b->start = c->src->next_input_byte;
            b->end = b->p + c->src->bytes_in_buffer;
            continue;
        }
        uint8_t byte = *b->p;
        if (byte == 0xFF) {
            const uint8_t *q = b->p + 1;
            while (q < b->end && *q == 0xFF)
                q++;
            if (q >= b->end) {
                /* FF at the very end: ask the source what comes next */
                c->src->next_input_byte = b->p + 1;
                c->src->bytes_in_buffer = 0;
                if (!c->src->fill_input_buffer(c) || c->src->bytes_in_buffer == 0) {
                    b->at_marker = true;
                    break;
                }
                b->p = b->start = c->src->next_input_byte;
                b->end = b->p + c->src->bytes_in_buffer;
                continue;
            }
            if (*q != 0) {
                b->at_marker = true; /* p stays on the marker's FF */
                break;
            }
            b->p = q + 1;
        } else {
            b->p++;
        }
        b->buf |= (uint64_t)byte << (56 - b->n);
        b->n += 8;
    }
}

/* The hot loops keep the reader in local variables (buf, n, p), which
 * the compiler then holds in registers; these macros work on them.  Only
 * the slow refill stores them back into the decoder's reader. */
#define READER_LOAD(b) uint64_t buf = (b)->buf; int n = (b)->n; const uint8_t *p = (b)->p
#define READER_STORE(b) ((b)->buf = buf, (b)->n = n, (b)->p = p)

/* At least 32 real bits in buf, unless the data has ended. */
#define REFILL(h, c)                                                           \
    do {                                                                       \
        if (n < 32) {                                                          \
            uint64_t w_;                                                       \
            if ((h)->b.end - p >= 8 && !(h)->b.at_marker &&                    \
                (memcpy(&w_, p, sizeof w_), !has_ff(w_))) {                    \
                int take_ = (63 - n) >> 3; /* whole bytes that fit */          \
                buf |= __builtin_bswap64(w_) >> n;                             \
                p += take_;                                                    \
                n += take_ * 8;                                                \
            } else {                                                           \
                READER_STORE(&(h)->b);                                         \
                refill_slow(&(h)->b, (c));                                     \
                buf = (h)->b.buf, n = (h)->b.n, p = (h)->b.p;                  \
            }                                                                  \
        }                                                                      \
    } while (0)

#define CONSUME(len) (buf <<= (len), n -= (len))

/* Puts the source back at the first byte holding no consumed bit, so that
 * libjpeg's marker reader goes on from there (and counts any bytes before
 * the next marker as extraneous, as with its own decoder).  A data byte
 * 0xFF was FF 00, or FF FF.. 00 with fill bytes (refill_slow). */
static void
bits_to_source(struct bits *b, j_decompress_ptr c)
{
    const uint8_t *p = b->p;
    for (int whole = b->n > 0 ? b->n / 8 : 0; whole > 0 && p > b->start; whole--) {
        if (p - b->start >= 2 && p[-1] == 0x00 && p[-2] == 0xFF) {
            p -= 2;
            while (p > b->start && p[-1] == 0xFF)
                p--;
        } else {
            p--;
        }
    }
    c->src->next_input_byte = p;
    c->src->bytes_in_buffer = (size_t)(b->end - p);
}

/* ---- decoding ----------------------------------------------------------- */

/* A symbol whose code is longer than FAST_BITS, at the top of `buf`:
 * the symbol, and in *len its code's length; -1 for an invalid code. */
static int
decode_long(const struct htable *t, uint64_t buf, int *len)
{
    int l = FAST_BITS + 1;
    int32_t code = (int32_t)(buf >> (64 - l));
    while (code > t->maxcode[l]) {
        l++;
        code = (int32_t)(buf >> (64 - l));
    }
    *len = l;
    return l > 16 ? -1 : t->huffval[(code + t->valoffset[l]) & 0xFF];
}

/* A symbol the table does not hold: a long code, or an invalid one
 * (warned about; read as 0 after 17 bits, as both of libjpeg's paths do:
 * its search stops at the sentinel length 17).  *len: the bits to
 * consume. */
static int
symbol_long(const struct htable *t, uint64_t buf, int *len, j_decompress_ptr c)
{
    int sym = decode_long(t, buf, len);
    if (sym < 0) {
        WARNMS(c, JWRN_HUFF_BAD_CODE);
        *len = 17;
        return 0;
    }
    return sym;
}

/* The symbol of look-up entry `e` of table `t` (a code the entry holds,
 * or a longer one), its code consumed.  For the reader in buf, n, p. */
#define TAKE_SYMBOL(t, e, c, sym)                                              \
    do {                                                                       \
        int len_;                                                              \
        if (E_LEN(e))                                                          \
            len_ = E_LEN(e), (sym) = E_SYM(e);                                 \
        else                                                                   \
            (sym) = symbol_long(t, buf, &len_, c);                             \
        CONSUME(len_);                                                         \
    } while (0)

/* A whole coefficient of entry `e` (E_WHOLE): its code and bits consumed,
 * k moved on by its run; its value is E_VALUE(e).  The shift's count comes
 * straight from the entry: x86 masks it to 6 bits and E_WHOLE is bit 6, so
 * no AND is waited on. */
#define TAKE_WHOLE(e, k) (buf <<= ((e) & 63), n -= E_LEN(e), (k) += E_SYM(e) >> 4)

/* The next `s` (1..16) bits as a number, consumed. */
#define TAKE_BITS(s, v) ((v) = (uint32_t)(buf >> (64 - (s))), CONSUME(s))

/* Block `blk`'s DC difference, added to its component's prediction; the
 * new prediction goes to `out`.  Never past the integers (libjpeg-turbo's
 * progressive decoder's check; its sequential one wraps around).  A macro
 * for the reader held in buf, n and p. */
#define DECODE_DC(h, blk, c, out)                                              \
    do {                                                                       \
        const struct htable *t_ = (h)->dc[blk];                                \
        int sym_, diff_ = 0;                                                   \
        REFILL(h, c);                                                          \
        uint32_t e_ = t_->fast[buf >> (64 - FAST_BITS)], bits_;                \
        TAKE_SYMBOL(t_, e_, c, sym_);                                          \
        if (sym_) {                                                            \
            TAKE_BITS(sym_, bits_);                                            \
            diff_ = extend(bits_, sym_);                                       \
        }                                                                      \
        int *pred_ = &(h)->last_dc[(h)->comp[blk]];                            \
        if ((diff_ > 0 && *pred_ > INT_MAX - diff_) ||                         \
            (diff_ < 0 && *pred_ < INT_MIN - diff_))                           \
            ERREXIT(c, JERR_BAD_DCT_COEF);                                     \
        (out) = *pred_ += diff_;                                               \
    } while (0)

/* The blocks of one MCU.  The DC difference, then the AC coefficients:
 * a whole coefficient per look-up when the table has it. */
static void
decode_blocks(struct fast_huff *h, JBLOCKROW *MCU_data, j_decompress_ptr c)
{
    READER_LOAD(&h->b);
    for (int blk = 0; blk < c->blocks_in_MCU; blk++) {
        JCOEF *block = MCU_data ? MCU_data[blk][0] : NULL;
        int dc;
        DECODE_DC(h, blk, c, dc);
        if (block && h->dc_needed[blk])
            block[0] = (JCOEF)dc;
        /* coefficients nobody needs still have to be read: into scratch */
        if (!block || !h->ac_needed[blk])
            block = h->scratch;
        const struct htable *t = h->ac[blk];
        for (int k = 1; k < 64; k++) {
            int sym;
            uint32_t bits;
            REFILL(h, c);
            uint32_t e = t->fast[buf >> (64 - FAST_BITS)];
            if (e & E_WHOLE) {
                TAKE_WHOLE(e, k);
                block[natural[k]] = E_VALUE(e);
                continue;
            }
            TAKE_SYMBOL(t, e, c, sym);
            int r = sym >> 4, sz = sym & 15;
            if (sz) {
                k += r;
                TAKE_BITS(sz, bits);
                block[natural[k]] = (JCOEF)extend(bits, sz);
            } else {
                if (r != 15)
                    break; /* end of block */
                k += 15;
            }
        }
    }
    READER_STORE(&h->b);
}

/* libjpeg's restart: the bits left are dropped, its marker reader reads
 * the RSTn (or resynchronises, warning), predictions start again.  A
 * marker its last resync kept (unread_marker) is the one it compares:
 * the data after it belongs to a later interval. */
static boolean
restart(struct fast_huff *h, j_decompress_ptr c)
{
    bits_to_source(&h->b, c);
    if (!c->marker->read_restart_marker(c))
        return FALSE;
    memset(h->last_dc, 0, sizeof h->last_dc);
    h->eobrun = 0;
    h->restarts_to_go = c->restart_interval;
    bits_from_source(&h->b, c);
    if (c->unread_marker == 0)
        c->entropy->insufficient_data = FALSE;
    return TRUE;
}

/* Before an MCU: the restart due, if any.  FALSE: the source suspended. */
static boolean
mcu_begin(struct fast_huff *h, j_decompress_ptr c)
{
    if (c->restart_interval) {
        if (h->restarts_to_go == 0 && !restart(h, c))
            return FALSE;
        h->restarts_to_go--;
    }
    return TRUE;
}

/* After an MCU: zeros read past a marker or the data's end leave the rest
 * of the interval grey (libjpeg's insufficient_data: a restart may clear
 * it, and a later shortage sets it again); at the scan's end the source
 * goes back to libjpeg, which reads on. */
static void
mcu_end(struct fast_huff *h, j_decompress_ptr c)
{
    if (h->b.n < 0 && !c->entropy->insufficient_data) {
        WARNMS(c, JWRN_HIT_MARKER);
        c->entropy->insufficient_data = TRUE;
    }
    if (--h->mcus_left == 0)
        bits_to_source(&h->b, c);
}

static boolean
decode_mcu(j_decompress_ptr c, JBLOCKROW *MCU_data)
{
    struct fast_huff *h = (struct fast_huff *)(void *)c->entropy;
    if (!mcu_begin(h, c))
        return FALSE;
    /* After the data ran out the blocks stay as the caller zeroed them
     * (libjpeg's behaviour: grey, not guessed). */
    if (!h->pub.insufficient_data)
        decode_blocks(h, MCU_data, c);
    mcu_end(h, c);
    return TRUE;
}

/* Called only if libjpeg starts another scan, which the checks in
 * img_jpeg_fast_huffman rule out: give the scan back to libjpeg. */
static void
start_pass(j_decompress_ptr c)
{
    struct fast_huff *h = (struct fast_huff *)(void *)c->entropy;
    c->entropy = h->libjpeg;
    c->entropy->start_pass(c);
}

/* ---- a scan's set-up, for both kinds -------------------------------------- */

/* Each block's component and tables (DC, AC or both), each table built
 * once from libjpeg's, which libjpeg checked when it started the scan.
 * False when one is missing or unusable (libjpeg's decoder keeps the
 * scan). */
static bool
scan_tables(struct fast_huff *h, j_decompress_ptr c, bool dc, bool ac)
{
    bool built[2][NUM_HUFF_TBLS] = {{false}};
    JHUFF_TBL *const *src[2] = {c->dc_huff_tbl_ptrs, c->ac_huff_tbl_ptrs};
    const struct htable **use[2] = {h->dc, h->ac};
    for (int blk = 0; blk < c->blocks_in_MCU; blk++) {
        int ci = c->MCU_membership[blk];
        const jpeg_component_info *comp = c->cur_comp_info[ci];
        int no[2] = {comp->dc_tbl_no, comp->ac_tbl_no};
        for (int kind = 0; kind < 2; kind++) {
            if (!(kind ? ac : dc))
                continue;
            if (no[kind] < 0 || no[kind] >= NUM_HUFF_TBLS || !src[kind][no[kind]])
                return false;
            if (!built[kind][no[kind]] &&
                !build_table(&h->tables[kind][no[kind]], src[kind][no[kind]], kind == 1))
                return false;
            built[kind][no[kind]] = true;
            use[kind][blk] = &h->tables[kind][no[kind]];
        }
        h->comp[blk] = ci;
    }
    return true;
}

/* Predictions, end-of-band run, restart count, MCUs to go and the reader,
 * as a scan starts. */
static void
scan_start(struct fast_huff *h, j_decompress_ptr c)
{
    memset(h->last_dc, 0, sizeof h->last_dc);
    h->eobrun = 0;
    h->restarts_to_go = c->restart_interval;
    h->mcus_left = (long)c->MCUs_per_row * (long)c->MCU_rows_in_scan;
    bits_from_source(&h->b, c);
}

/* ---- a progressive file's first scans ------------------------------------
 *
 * A thumbnail of a progressive JPEG stops after the scans it can show
 * (image_jpeg_scans.c): with libjpeg's standard script, the DC scan and the
 * first AC scans, whose values arrive whole (Ah = 0), not refined bit by
 * bit.  Those are decoded here, refinement scans by libjpeg; each scan
 * starts afresh in both decoders, so they can take turns.  The values go
 * into libjpeg's coefficient buffer, shifted by the scan's Al. */

static boolean
decode_dc_first(j_decompress_ptr c, JBLOCKROW *MCU_data)
{
    struct fast_huff *h = c->client_data;
    if (!mcu_begin(h, c))
        return FALSE;
    if (!c->entropy->insufficient_data) {
        READER_LOAD(&h->b);
        for (int blk = 0; blk < c->blocks_in_MCU; blk++) {
            int dc;
            DECODE_DC(h, blk, c, dc);
            MCU_data[blk][0][0] = (JCOEF)(int)((unsigned)dc << h->al);
        }
        READER_STORE(&h->b);
    }
    mcu_end(h, c);
    return TRUE;
}

/* One block (an AC scan has one component, an MCU one block): the band
 * Ss..Se, or nothing while a run of end-of-bands lasts. */
static boolean
decode_ac_first(j_decompress_ptr c, JBLOCKROW *MCU_data)
{
    struct fast_huff *h = c->client_data;
    if (!mcu_begin(h, c))
        return FALSE;
    if (!c->entropy->insufficient_data) {
        if (h->eobrun > 0) {
            h->eobrun--;
        } else {
            READER_LOAD(&h->b);
            const struct htable *t = h->ac[0];
            JCOEF *block = MCU_data[0][0];
            for (int k = h->ss; k <= h->se; k++) {
                int sym;
                uint32_t bits;
                REFILL(h, c);
                uint32_t e = t->fast[buf >> (64 - FAST_BITS)];
                if (e & E_WHOLE) {
                    TAKE_WHOLE(e, k);
                    block[natural[k]] = (JCOEF)(int)((unsigned)E_VALUE(e) << h->al);
                    continue;
                }
                TAKE_SYMBOL(t, e, c, sym);
                int r = sym >> 4, sz = sym & 15;
                if (sz) {
                    k += r;
                    TAKE_BITS(sz, bits);
                    block[natural[k]] = (JCOEF)(int)((unsigned)extend(bits, sz) << h->al);
                } else if (r == 15) {
                    k += 15;
                } else {
                    /* a run of 2^r + r more bits end-of-bands, this one first */
                    unsigned run = 1u << r;
                    if (r) {
                        TAKE_BITS(r, bits);
                        run += bits;
                    }
                    h->eobrun = run - 1;
                    break;
                }
            }
            READER_STORE(&h->b);
        }
    }
    mcu_end(h, c);
    return TRUE;
}

/* The scan libjpeg just started, taken when it is a first scan whose
 * tables build; else libjpeg's decode_mcu stays for it. */
static void
take_first_scan(struct fast_huff *h, j_decompress_ptr c)
{
    bool dc = c->Ss == 0;
    if (c->Ah != 0 || c->comps_in_scan < 1 || c->comps_in_scan > MAX_COMPS_IN_SCAN ||
        c->blocks_in_MCU > D_MAX_BLOCKS_IN_MCU || (dc && c->Se != 0) ||
        (!dc && (c->comps_in_scan != 1 || c->Se > 63 || c->Ss > c->Se)) || c->Al > 13 ||
        c->unread_marker != 0)
        return;
    if (!scan_tables(h, c, dc, !dc))
        return;
    h->ss = c->Ss;
    h->se = c->Se;
    h->al = c->Al;
    scan_start(h, c);
    c->entropy->decode_mcu = dc ? decode_dc_first : decode_ac_first;
}

static void
progressive_start_pass(j_decompress_ptr c)
{
    struct fast_huff *h = c->client_data;
    h->libjpeg_start_pass(c);
    take_first_scan(h, c);
}

/* AXLE_JPEG_HUFFMAN=libjpeg: libjpeg's decoder for every scan (read at
 * each decode, 0.1 us, so that tests can switch). */
static bool
libjpeg_chosen(void)
{
    const char *choice = getenv("AXLE_JPEG_HUFFMAN");
    return choice && strcmp(choice, "libjpeg") == 0;
}

bool
img_jpeg_fast_huffman_progressive(j_decompress_ptr c)
{
    if (libjpeg_chosen() || !c->progressive_mode ||
        c->arith_code || !c->buffered_image || c->data_precision != 8 || !c->entropy ||
        !c->entropy->start_pass || c->client_data || !c->src || !c->src->fill_input_buffer)
        return false;
    struct fast_huff *h = c->mem->alloc_large((j_common_ptr)c, JPOOL_IMAGE, sizeof *h);
    memset(h, 0, sizeof *h);
    h->libjpeg_start_pass = c->entropy->start_pass;
    c->entropy->start_pass = progressive_start_pass;
    c->client_data = h;
    take_first_scan(h, c); /* the first scan was started already */
    return true;
}

/* ---- plugging in -------------------------------------------------------- */

static bool
scan_fits(j_decompress_ptr c)
{
    return !c->progressive_mode && !c->arith_code && !c->buffered_image &&
           c->data_precision == 8 && c->comps_in_scan == c->num_components &&
           c->comps_in_scan >= 1 && c->comps_in_scan <= MAX_COMPS_IN_SCAN &&
           c->blocks_in_MCU <= D_MAX_BLOCKS_IN_MCU && c->Ss == 0 && c->Se == 63 &&
           c->Ah == 0 && c->Al == 0 && c->entropy && c->entropy->decode_mcu &&
           c->input_scan_number == 1 && c->unread_marker == 0 && c->src &&
           c->src->fill_input_buffer;
}

bool
img_jpeg_fast_huffman(j_decompress_ptr c)
{
    if (libjpeg_chosen() || !scan_fits(c))
        return false;
    struct fast_huff *h = c->mem->alloc_large((j_common_ptr)c, JPOOL_IMAGE, sizeof *h);
    memset(h, 0, sizeof *h);
    if (!scan_tables(h, c, true, true))
        return false;
    for (int blk = 0; blk < c->blocks_in_MCU; blk++) {
        /* as libjpeg-turbo: a component the output needs gets its DC, and
         * its AC unless the IDCT is 1x1 */
        const jpeg_component_info *comp = c->cur_comp_info[c->MCU_membership[blk]];
        h->dc_needed[blk] = comp->component_needed;
        h->ac_needed[blk] = comp->component_needed && comp->DCT_scaled_size > 1;
    }
    scan_start(h, c);
    h->libjpeg = c->entropy;
    h->pub.start_pass = start_pass;
    h->pub.decode_mcu = decode_mcu;
    h->pub.insufficient_data = FALSE;
    c->entropy = &h->pub;
    return true;
}
