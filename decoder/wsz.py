#!/usr/bin/env python3
"""Reads a .wsz file (versions 1 and 2; the paper, scalar and additive codecs) and writes the checkpoint it rebuilds.

A standalone reader for the device side: Python 3 and NumPy only (plus the `brotli` module for files whose residual
is Brotli-coded, the scalar codec's default: Debian's python3-brotli). It follows docs/wsz-format.md, trusts nothing
in the file, and refuses to write a checkpoint whose SHA-256 differs from the one the file records.

    python3 decoder/wsz.py model.wsz                 # writes the original file name the .wsz records, here
    python3 decoder/wsz.py model.wsz -o model.pt     # or the path given
    python3 decoder/wsz.py model.wsz --force         # replaces the output file if it exists

An existing output file is never replaced without --force (the recorded name is usually the name of the original
checkpoint, often sitting next to the .wsz): the decoder then says so on stderr, exits with 1 and writes nothing.
Errors exit with 1; the file appears whole or not at all.

As a module: `checkpoint, name = wsz.decode(open("model.wsz", "rb").read())`.
Pure Python: the ResNet-18 of docs/results.md (11 M weights, 45 MB) takes about 5 s on one core.
"""

import argparse
import errno
import hashlib
import os
import struct
import sys
import tempfile
import zlib

import numpy as np

MAGIC = b"WSZ1"
DTYPES = {0: ("float32", 4), 1: ("float16", 2), 2: ("bfloat16", 2), 3: ("float64", 8)}
RANS_LOWER = 1 << 23


class WszError(ValueError):
    """The file is not a .wsz file this reader knows, or it is corrupt."""


class _Cursor:
    def __init__(self, data, what="the .wsz file"):
        self.data = data
        self.at = 0
        self.what = what

    @property
    def remaining(self):
        return len(self.data) - self.at

    def take(self, count, field):
        if count < 0 or count > self.remaining:
            raise WszError(f"{self.what} is truncated: it ends inside the {field}.")
        chunk = self.data[self.at:self.at + count]
        self.at += count
        return chunk

    def u8(self, field):
        return self.take(1, field)[0]

    def u16(self, field):
        return struct.unpack("<H", self.take(2, field))[0]

    def u32(self, field):
        return struct.unpack("<I", self.take(4, field))[0]

    def i64(self, field):
        return struct.unpack("<q", self.take(8, field))[0]

    def string(self, field, limit):
        length = self.u16(field + " length")
        if length > limit:
            raise WszError(f"The {field} is {length} bytes, longer than the {limit} allowed.")
        try:
            return bytes(self.take(length, field)).decode("utf-8")
        except UnicodeDecodeError as error:
            raise WszError(f"The {field} is not valid UTF-8.") from error

    def count(self, field, min_record):
        value = self.u32(field + " count")
        if value > self.remaining // min_record:
            raise WszError(f"{self.what} declares {value} {field} entries, more than its remaining bytes can hold.")
        return value

    def length(self, field):
        value = self.i64(field + " length")
        if value < 0 or value > self.remaining:
            raise WszError(f"{self.what} declares a {field} of {value} bytes but only {self.remaining} remain.")
        return value

    def varint(self, field):
        value, shift = 0, 0
        while True:
            byte = self.u8(field)
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
            if shift > 63:
                raise WszError(f"A {field} is longer than 64 bits.")


class _Segment:
    def __init__(self, name, offset, count, dtype, shape=None):
        if dtype not in DTYPES:
            raise WszError(f"Segment '{name}' has unknown element type code {dtype}.")
        self.name, self.offset, self.count, self.dtype = name, offset, count, dtype
        self.shape = shape if shape is not None else [count]

    @property
    def row_length(self):
        """Elements per row: the product of every dimension after the first (1 for a vector or a scalar)."""
        length = 1
        for dimension in self.shape[1:]:
            length *= dimension
        return length

    @property
    def end(self):
        return self.offset + self.count * DTYPES[self.dtype][1]


def _canonical_codes(lengths):
    """Each used symbol's code under the DEFLATE rule (docs/wsz-format.md, "Canonical Huffman codes")."""
    used = [length for length in lengths if length > 0]
    if not used:
        raise WszError("The Huffman code lengths are invalid: no symbol has a code.")
    if max(used) > 31 or sum(2.0 ** -length for length in used) > 1.0:
        raise WszError("The Huffman code lengths are invalid: they do not form a prefix code.")
    count = [0] * 33
    for length in used:
        count[length] += 1
    next_code, code = [0] * 33, 0
    for length in range(1, 33):
        code = (code + count[length - 1]) << 1
        next_code[length] = code
    codes = {}
    for symbol, length in enumerate(lengths):
        if length > 0:
            codes[(length, next_code[length])] = symbol
            next_code[length] += 1
    return codes


def _huffman_decode(lengths, stream, count):
    """`count` symbols of a canonical Huffman stream, bits packed most significant first."""
    if count > len(stream) * 8:
        raise WszError(f"An index stream of {len(stream)} bytes cannot hold {count} indices.")
    codes = _canonical_codes(lengths)
    max_length = max(lengths)
    # One lookup per symbol on the next `table_bits` bits; longer codes walk the remaining lengths.
    table_bits = min(max_length, 12)
    table = [None] * (1 << table_bits)
    for (length, code), symbol in codes.items():
        if length <= table_bits:
            start = code << (table_bits - length)
            for entry in range(start, start + (1 << (table_bits - length))):
                table[entry] = (symbol, length)
    out = np.empty(count, dtype=np.uint16)
    padded = bytes(stream) + bytes(8)
    window, window_bits, next_byte, consumed = 0, 0, 0, 0
    for i in range(count):
        while window_bits < max_length:
            window = (window << 8) | padded[next_byte] if next_byte < len(padded) else window << 8
            next_byte += 1
            window_bits += 8
        entry = table[(window >> (window_bits - table_bits)) & ((1 << table_bits) - 1)]
        if entry is None:
            for length in range(table_bits + 1, max_length + 1):
                symbol = codes.get((length, (window >> (window_bits - length)) & ((1 << length) - 1)))
                if symbol is not None:
                    entry = (symbol, length)
                    break
            else:
                raise WszError("An index stream holds a bit pattern that is not a code of its Huffman table.")
        out[i] = entry[0]
        window_bits -= entry[1]
        window &= (1 << window_bits) - 1
        consumed += entry[1]
    if consumed > len(stream) * 8:
        raise WszError("An index stream ends before all its indices do.")
    return out


def _rans_decode(frequencies, scale_bits, stream, count):
    """`count` symbols of a rANS stream (32-bit state, byte-wise renormalisation, lower bound 2^23)."""
    if len(stream) < 4:
        raise WszError("A rANS stream is shorter than its 4-byte state.")
    cumulative = [0] * len(frequencies)
    total = 0
    for symbol, frequency in enumerate(frequencies):
        cumulative[symbol] = total
        total += frequency
    if total != 1 << scale_bits:
        raise WszError("A rANS table's frequencies do not add up to its precision.")
    slots = np.repeat(np.arange(len(frequencies), dtype=np.uint16), frequencies).tolist()
    mask = (1 << scale_bits) - 1
    x = int.from_bytes(stream[:4], "big")
    at = 4
    out = np.empty(count, dtype=np.uint16)
    for i in range(count):
        slot = x & mask
        symbol = slots[slot]
        out[i] = symbol
        x = frequencies[symbol] * (x >> scale_bits) + slot - cumulative[symbol]
        while x < RANS_LOWER:
            if at >= len(stream):
                raise WszError("A rANS stream ends before all its symbols are decoded.")
            x = (x << 8) | stream[at]
            at += 1
    if at != len(stream) or x != RANS_LOWER:
        raise WszError("A rANS stream does not end where its symbols do: the stream is corrupt.")
    return out


class _ContextStream:
    """The context coder's binary range decoder (docs/wsz-format.md, "The context coder"): adaptive bits of 15-bit
    precision, each the mean of a fast (1/16) and a slow (1/128) estimate of the chance of a 0."""

    def __init__(self, stream, contexts):
        self.stream, self.at, self.range, self.code = stream, 0, 0xFFFFFFFF, 0
        self.fast = [1 << 14] * contexts
        self.slow = [1 << 14] * contexts
        for _ in range(4):
            self.code = (self.code << 8) | self._next()
        if self.code >= self.range:
            raise WszError("A context-coded stream starts with a code outside its range: the stream is corrupt.")

    def _next(self):
        at = self.at
        self.at += 1
        if at < len(self.stream):
            return self.stream[at]
        if at < len(self.stream) + 3:
            return 0
        raise WszError("A context-coded stream ends before all its indices are decoded.")

    def bit(self, context):
        fast, slow = self.fast[context], self.slow[context]
        bound = (self.range >> 15) * ((fast + slow) >> 1)
        if self.code < bound:
            self.range = bound
            self.fast[context] = fast + ((32768 - fast) >> 4)
            self.slow[context] = slow + ((32768 - slow) >> 7)
            bit = 0
        else:
            self.code -= bound
            self.range -= bound
            self.fast[context] = fast - (fast >> 4)
            self.slow[context] = slow - (slow >> 7)
            bit = 1
        while self.range < 1 << 24:
            self.range = (self.range << 8) & 0xFFFFFFFF
            self.code = ((self.code << 8) & 0xFFFFFFFF) | self._next()
        return bit

    def bypass(self):
        self.range >>= 1
        bit = 0
        if self.code >= self.range:
            self.code -= self.range
            bit = 1
        while self.range < 1 << 24:
            self.range = (self.range << 8) & 0xFFFFFFFF
            self.code = ((self.code << 8) & 0xFFFFFFFF) | self._next()
        return bit

    def finish(self):
        if self.at != len(self.stream) + 3:
            raise WszError("A context-coded stream does not end where its indices do: the stream is corrupt.")


# The context coder's constants (docs/wsz-format.md): activity window and thresholds, column and magnitude classes.
_RUN_WINDOW, _MAGNITUDE_CAP, _MAX_COLUMNS = 32, 15, 1 << 16
_RUN_THRESHOLDS = (4, 8, 16, 32, 64, 128, 256)
_COLUMN_CLASSES, _PREVIOUS_CLASSES, _UNARY_BINS = 5, 3, 14
_SIGNIFICANCE_CONTEXTS = (len(_RUN_THRESHOLDS) + 1) * _COLUMN_CLASSES * _PREVIOUS_CLASSES
_SIGN_BASE = _SIGNIFICANCE_CONTEXTS
_MAGNITUDE_BASE = _SIGN_BASE + 9
_CONTEXTS = _MAGNITUDE_BASE + 2 * _PREVIOUS_CLASSES * _UNARY_BINS


def _context_decode(symbols, centre, stream, count, row_length):
    """`count` indices of a context-coded stream with alphabet `symbols` around position `centre`."""
    coder = _ContextStream(stream, _CONTEXTS)
    above, below = len(symbols) - 1 - centre, centre
    window, window_at, run = [0] * _RUN_WINDOW, 0, 0
    columns = [0] * row_length if row_length <= _MAX_COLUMNS else None
    column, row = 0, 0
    previous, before_previous = 0, 0
    if above == 0 and below == 0:
        coder.finish()
        return np.full(count, symbols[0], dtype=np.uint16)
    out = np.empty(count, dtype=np.uint16)
    for i in range(count):
        run_class = 0
        for threshold in _RUN_THRESHOLDS:
            if run >= threshold:
                run_class += 1
        column_class = 0
        if row > 0 and columns is not None:
            total = 4 * columns[column]
            column_class = 1 + (total >= row) + (total >= 3 * row) + (total >= 7 * row)
        previous_class = min(abs(previous), 2)
        rank = 0
        if coder.bit((run_class * _COLUMN_CLASSES + column_class) * _PREVIOUS_CLASSES + previous_class):
            if above > 0 and below > 0:
                sign = (previous > 0) - (previous < 0)
                sign_before = (before_previous > 0) - (before_previous < 0)
                negative = coder.bit(_SIGN_BASE + 3 * (sign + 1) + sign_before + 1)
            else:
                negative = 1 if above == 0 else 0
            largest = below if negative else above
            context = _MAGNITUDE_BASE + (negative * _PREVIOUS_CLASSES + previous_class) * _UNARY_BINS
            limit = min(largest - 1, _UNARY_BINS)
            magnitude = 0
            for j in range(1, limit + 1):
                if not coder.bit(context + j - 1):
                    magnitude = j
                    break
            else:
                if limit == largest - 1:
                    magnitude = largest
                else:
                    length = 0
                    while coder.bypass():
                        length += 1
                        if length > 16:
                            raise WszError("A context-coded stream holds an escape longer than any index.")
                    value = 1
                    for _ in range(length):
                        value = (value << 1) | coder.bypass()
                    magnitude = _UNARY_BINS + value
                    if magnitude > largest:
                        raise WszError("A context-coded stream codes an index outside its alphabet.")
            rank = -magnitude if negative else magnitude
        out[i] = symbols[centre + rank]
        capped = min(abs(rank), _MAGNITUDE_CAP)
        run += capped - window[window_at]
        window[window_at] = capped
        window_at = (window_at + 1) % _RUN_WINDOW
        if columns is not None:
            columns[column] += capped
            column += 1
            if column == row_length:
                column, row = 0, row + 1
        before_previous, previous = previous, rank
    coder.finish()
    return out


def _paper_values(block, total):
    cursor = _Cursor(block, "The paper codec's block")
    size = cursor.u32("codebook size")
    if size == 0 or size > 65535:
        raise WszError(f"The codebook has {size} values (need 1..65535).")
    codebook = np.frombuffer(cursor.take(4 * size, "codebook"), dtype="<f4")
    lengths = list(cursor.take(size, "code lengths"))
    stream = cursor.take(cursor.length("index stream"), "index stream")
    if cursor.remaining:
        raise WszError(f"The paper codec's block has {cursor.remaining} bytes after its index stream.")
    return [codebook[_huffman_decode(lengths, stream, total)]]


def _table(cursor, size, coder, owner):
    """A coder's table of `size` symbols: (rANS precision, frequencies) for coder 0, (0, code lengths) for Huffman,
    (centre, increasing indices) for the context coder."""
    if coder == 2:
        used, symbol, symbols = cursor.varint("alphabet size"), -1, []
        if used == 0 or used > size:
            raise WszError(f"An alphabet of {owner} holds {used} of {size} values.")
        for _ in range(used):
            symbol += min(cursor.varint("symbol gap"), size) + 1
            if symbol >= size:
                raise WszError(f"An alphabet of {owner} names a value out of range.")
            symbols.append(symbol)
        centre = cursor.varint("alphabet centre")
        if centre >= used:
            raise WszError(f"An alphabet of {owner} names centre {centre} of {used} indices.")
        return centre, symbols
    scale_bits = cursor.u8("table precision") if coder == 0 else 0
    if coder == 0 and not 8 <= scale_bits <= 16:
        raise WszError(f"A table of {owner} declares precision {scale_bits} (need 8..16).")
    entries = [0] * size
    used, symbol = cursor.varint("used symbols"), -1
    if used == 0 or used > size:
        raise WszError(f"A table of {owner} uses {used} of {size} values.")
    for _ in range(used):
        symbol += cursor.varint("symbol gap") + 1
        entry = cursor.varint("frequency") + 1 if coder == 0 else cursor.u8("code length")
        if symbol >= size or entry > 1 << 16:
            raise WszError(f"A table of {owner} names a value or frequency out of range.")
        entries[symbol] = entry
    return scale_bits, entries


def _additive_values(block, segments):
    """Each segment cut into vectors of d weights (the last one shorter), each the sum of one codeword per codebook."""
    cursor = _Cursor(block, "The additive codec's block")
    d, m, bits = cursor.u8("d"), cursor.u8("M"), cursor.u8("log2 K")
    if not (1 <= d <= 64 and 1 <= m <= 8 and 1 <= bits <= 12):
        raise WszError(f"The additive codec's block declares d = {d}, M = {m}, log2 K = {bits}; this reader reads d 1..64, M 1..8, log2 K 1..12.")
    k = 1 << bits
    words = m * k * d
    if 4 * words > cursor.remaining:
        raise WszError(f"The additive codec's block declares {words} codeword values but holds only {cursor.remaining} more bytes.")
    codebooks = np.frombuffer(cursor.take(4 * words, "codebooks"), dtype="<f4").reshape(m, k, d)
    counts = [(s.count + d - 1) // d for s in segments]
    vectors = sum(counts)
    codes = []
    for book in range(m):
        scale_bits, frequencies = _table(cursor, k, 0, "the additive codec's block")
        stream = cursor.take(cursor.varint("stream length"), "code stream")
        codes.append(_rans_decode(frequencies, scale_bits, stream, vectors))
    if cursor.remaining:
        raise WszError(f"The additive codec's block has {cursor.remaining} bytes after its last stream.")
    # Float32 sums in codebook order, as the encoder added them: the rebuilt file's SHA-256 depends on every bit.
    rebuilt = codebooks[0][codes[0]]
    for book in range(1, m):
        rebuilt = rebuilt + codebooks[book][codes[book]]
    parts, at = [], 0
    for segment, count in zip(segments, counts):
        parts.append(rebuilt[at:at + count].reshape(-1)[:segment.count])
        at += count
    return parts


def _scalar_values(block, segments):
    cursor = _Cursor(block, "The scalar codec's block")
    size = cursor.u32("value count")
    total = sum(s.count for s in segments)
    if size == 0 or size > 65535 or size > total:
        raise WszError(f"The scalar codec's block declares {size} values for {total} weights.")
    values = np.frombuffer(cursor.take(4 * size, "values"), dtype="<f4")
    coder = cursor.u8("coder")
    if coder not in (0, 1, 2):
        raise WszError(f"The scalar codec's block names index coder {coder}, which this reader does not know.")
    table_count = cursor.u16("table count")
    if table_count == 0 or table_count > len(segments) + 1 or table_count * size > 1 << 24:
        raise WszError(f"The scalar codec's block declares {table_count} tables for {len(segments)} segments.")
    tables = [_table(cursor, size, coder, "the scalar codec's block") for _ in range(table_count)]
    parts = []
    for segment in segments:
        table = cursor.varint("table index")
        if table >= len(tables):
            raise WszError(f"A segment of the scalar codec's block names table {table} of {len(tables)}.")
        stream = cursor.take(cursor.varint("stream length"), "stream")
        scale_bits, entries = tables[table]
        if coder == 0:
            indices = _rans_decode(entries, scale_bits, stream, segment.count)
        elif coder == 1:
            indices = _huffman_decode(entries, stream, segment.count)
        else:
            indices = _context_decode(entries, scale_bits, stream, segment.count, segment.row_length)
        parts.append(values[indices])
    if cursor.remaining:
        raise WszError(f"The scalar codec's block has {cursor.remaining} bytes after its last stream.")
    return parts


def _encode(values, dtype):
    """Float32 values as little-endian elements of the segment's type (docs/wsz-format.md, "Rebuilding the file")."""
    values = np.asarray(values, dtype="<f4")
    if dtype == 0:
        return values.tobytes()
    if dtype == 3:
        return values.astype("<f8").tobytes()
    if dtype == 1:
        return values.astype("<f2").tobytes()
    bits = values.view("<u4").astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(values)
    rounded[nan] = ((bits[nan] >> 16) | 0x0040).astype(np.uint16)
    return rounded.astype("<u2").tobytes()


def _residual(coding, data, length):
    if coding == 0:
        inflate = zlib.decompressobj(-15)
        out = inflate.decompress(data, length + 1)
        if len(out) > length or inflate.unconsumed_tail:
            raise WszError("The residual inflates to more bytes than the .wsz file declares.")
    else:
        try:
            import brotli
        except ImportError as error:
            raise WszError("This .wsz file's residual is Brotli-coded: install the brotli module (Debian: apt install python3-brotli).") from error
        try:
            out = brotli.decompress(bytes(data))
        except brotli.error as error:
            raise WszError("The residual in the .wsz file is not valid Brotli data.") from error
        if len(out) > length:
            raise WszError("The residual inflates to more bytes than the .wsz file declares.")
    if len(out) < length:
        raise WszError("The residual inflates to fewer bytes than the .wsz file declares.")
    return out


def read(data):
    """The parts of a .wsz file: a dict with version, format, name, length, sha256, segments, fixups, codec, block,
    residual coding, residual length and residual bytes."""
    cursor = _Cursor(memoryview(data))
    if bytes(cursor.take(4, "magic")) != MAGIC:
        raise WszError('This is not a .wsz file: it does not start with "WSZ1".')
    version = cursor.u16("version")
    if version not in (1, 2):
        raise WszError(f"This .wsz file has version {version}; this reader reads versions 1 and 2.")
    if cursor.u16("flags") != 0:
        raise WszError("This .wsz file sets flags this reader does not know.")
    header = {"version": version, "format": cursor.string("format tag", 64), "name": cursor.string("original file name", 1024)}
    if not header["name"] or any(c in header["name"] for c in "/\\") or header["name"] in (".", ".."):
        raise WszError("The original file name is empty or holds a folder separator.")
    header["length"] = cursor.i64("reconstructed length")
    header["sha256"] = bytes(cursor.take(32, "SHA-256"))
    segments = []
    for _ in range(cursor.count("segment", 2 + 8 + 8 + 1 if version == 1 else 2 + 8 + 1 + 1)):
        name = cursor.string("tensor name", 4096)
        offset = cursor.i64("segment offset")
        if version == 1:
            count = cursor.i64("segment element count")
            dtype = cursor.u8("segment dtype")
            shape = None
        else:
            dtype = cursor.u8("segment dtype")
            rank = cursor.u8("segment rank")
            if rank > 32:
                raise WszError(f"Segment '{name}' has {rank} dimensions; at most 32 are allowed.")
            count, shape = 1, []
            for _ in range(rank):
                dimension = cursor.i64("segment dimension")
                if dimension < 0:
                    raise WszError(f"Segment '{name}' has a negative dimension.")
                count *= dimension
                shape.append(dimension)
        segments.append(_Segment(name, offset, count, dtype, shape))
    fixups = []
    for _ in range(cursor.count("CRC fix-up", 8 + 8 + 4)):
        offset, length = cursor.i64("CRC data offset"), cursor.i64("CRC data length")
        fields = [cursor.i64("CRC field offset") for _ in range(cursor.count("CRC field", 8))]
        fixups.append((offset, length, fields))
    if version == 1:
        start = cursor.at
        size = cursor.u32("codebook size")
        cursor.take(5 * size, "codebook and code lengths")
        cursor.take(cursor.length("index stream"), "index stream")
        header["codec"], header["block"], header["coding"] = "paper", bytes(cursor.data[start:cursor.at]), 0
    else:
        header["codec"] = cursor.string("codec id", 32)
        header["block"] = bytes(cursor.take(cursor.length("codec block"), "codec block"))
        header["coding"] = cursor.u8("residual coding")
        if header["coding"] not in (0, 1):
            raise WszError(f"This .wsz file codes its residual with method {header['coding']}, which this reader does not know.")
    header["residual_length"] = cursor.i64("residual length")
    header["residual"] = bytes(cursor.take(cursor.length("residual"), "residual"))
    if cursor.remaining:
        raise WszError(f"The .wsz file has {cursor.remaining} unexpected bytes after its residual.")
    header["segments"], header["fixups"] = segments, fixups
    _check(header)
    return header


def _check(header):
    length, end, segment_bytes = header["length"], 0, 0
    if length < 0:
        raise WszError(f"The reconstructed length {length} is negative.")
    for segment in header["segments"]:
        if segment.offset < end or segment.count <= 0 or segment.end > length:
            raise WszError(f"Segment '{segment.name}' overlaps the previous one or runs outside the file.")
        end = segment.end
        segment_bytes += segment.end - segment.offset
    for offset, size, fields in header["fixups"]:
        if offset < 0 or size < 0 or offset + size > length or any(at < 0 or at > length - 4 for at in fields):
            raise WszError("A CRC fix-up lies outside the file.")
    if header["residual_length"] < 0 or header["residual_length"] + segment_bytes != length:
        raise WszError("The residual and the segments do not add up to the file length.")
    ratio = 1032 if header["coding"] == 0 else 4096
    if header["residual_length"] > (len(header["residual"]) + 1) * ratio:
        raise WszError("The residual is too small to expand to the length it declares.")


def decode(data):
    """The checkpoint a .wsz file rebuilds and its original file name; raises WszError when the file is corrupt or unknown."""
    header = read(data)
    segments = header["segments"]
    if header["codec"] == "paper":
        values = _paper_values(header["block"], sum(s.count for s in segments))
    elif header["codec"] == "scalar":
        values = _scalar_values(header["block"], segments)
    elif header["codec"] == "additive":
        values = _additive_values(header["block"], segments)
    else:
        raise WszError(f"This .wsz file was written by the codec '{header['codec']}', which this reader does not know (it knows paper, scalar, additive).")
    weights = np.concatenate(values) if values else np.empty(0, dtype="<f4")
    residual = _residual(header["coding"], header["residual"], header["residual_length"])
    out = bytearray(header["length"])
    at_file, at_residual, at_weight = 0, 0, 0
    for segment in segments:
        gap = segment.offset - at_file
        out[at_file:segment.offset] = residual[at_residual:at_residual + gap]
        at_residual += gap
        out[segment.offset:segment.end] = _encode(weights[at_weight:at_weight + segment.count], segment.dtype)
        at_weight += segment.count
        at_file = segment.end
    out[at_file:] = residual[at_residual:]
    for offset, size, fields in header["fixups"]:
        crc = struct.pack("<I", zlib.crc32(out[offset:offset + size]) & 0xFFFFFFFF)
        for at in fields:
            out[at:at + 4] = crc
    if hashlib.sha256(out).digest() != header["sha256"]:
        raise WszError("The rebuilt file's SHA-256 does not match the one the .wsz file records: the file is corrupt.")
    return bytes(out), header["name"]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Rebuild the checkpoint a .wsz file describes.")
    parser.add_argument("wsz", help="the .wsz file")
    parser.add_argument("-o", "--output", help="where to write the checkpoint (default: the original file name it records, here)")
    parser.add_argument("-f", "--force", action="store_true", help="replace the output file if it exists (without it, an existing file is left alone)")
    args = parser.parse_args(argv)
    # What an OSError is about: the .wsz until it is read and decoded, then the output.
    subject = args.wsz
    try:
        with open(args.wsz, "rb") as source:
            data = source.read()
        output = args.output or read(data)["name"]
        # Refused before decoding, which takes seconds on a large model; _write checks again as it publishes the file.
        if not args.force and os.path.lexists(output):
            raise FileExistsError(output)
        checkpoint, _ = decode(data)
        subject = output
        _write(output, checkpoint, args.force)
    except (WszError, UnicodeDecodeError) as error:
        print(f"{args.wsz}: {error}", file=sys.stderr)
        return 1
    except FileExistsError as error:
        print(f"{error.args[0]} already exists; nothing was written. Give another path with -o, or --force to replace it.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{subject}: {error.strerror or error}; nothing was written.", file=sys.stderr)
        return 1
    print(f"{output}: {len(checkpoint)} bytes")
    return 0


def _write(output, content, force):
    """Writes content to output whole or not at all; without force, raises FileExistsError rather than replace a file."""
    if os.path.isdir(output):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", output)
    # A temporary file beside the output, so a failed or interrupted write never leaves a truncated checkpoint there.
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(output)}.", suffix=".partial",
                                         dir=os.path.dirname(os.path.abspath(output)))
    try:
        with os.fdopen(handle, "wb") as target:
            # mkstemp creates the file for its owner alone; the checkpoint gets the mode open() would have given it.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(target.fileno(), 0o666 & ~umask)
            target.write(content)
        if force:
            os.replace(temporary, output)
            return
        try:
            # link() refuses an existing name atomically, so a file that appeared since the first check stays too.
            os.link(temporary, output)
        except FileExistsError:
            raise FileExistsError(output) from None
        except OSError:
            # Filesystems without hard links (FAT, some network shares): the check just before is the guard there.
            if os.path.lexists(output):
                raise FileExistsError(output) from None
            os.replace(temporary, output)
    finally:
        if os.path.lexists(temporary):
            os.remove(temporary)


if __name__ == "__main__":
    sys.exit(main())
