// Package canary spells a marker the ways a leak could store it, for tests
// that search files for data that must not be there in readable form.
package canary

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Encodings returns s as UTF-8, UTF-16 (both byte orders), hex (both
// cases), ASCII-escaped when it is not ASCII, and the parts of its base64
// encodings that do not depend on neighbouring bytes, named by encoding.
func Encodings(s string) map[string][]byte {
	out := map[string][]byte{
		"utf8":    []byte(s),
		"utf16le": utf16Bytes(s, false),
		"utf16be": utf16Bytes(s, true),
		"hex":     []byte(hex.EncodeToString([]byte(s))),
		"HEX":     []byte(strings.ToUpper(hex.EncodeToString([]byte(s)))),
	}
	if q := strconv.QuoteToASCII(s); q[1:len(q)-1] != s {
		out["ascii-escaped"] = []byte(q[1 : len(q)-1])
	}
	for name, b := range base64Needles(s) {
		out[name] = b
	}
	return out
}

func utf16Bytes(s string, bigEndian bool) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// base64Needles are the characters of s's base64 encoding that do not
// depend on the bytes around it, for each of the three alignments s can
// have in an encoded stream.
func base64Needles(s string) map[string][]byte {
	out := map[string][]byte{}
	skip := [3]int{0, 2, 3} // leading characters mixed with the prefix bytes
	for align := range 3 {
		in := append(make([]byte, align), s...)
		for name, enc := range map[string]*base64.Encoding{"base64": base64.RawStdEncoding, "base64url": base64.RawURLEncoding} {
			e := enc.EncodeToString(in)[skip[align]:]
			if len(in)%3 != 0 {
				e = e[:len(e)-1] // the last character is mixed with what follows
			}
			out[fmt.Sprintf("%s/align%d", name, align)] = []byte(e)
		}
	}
	return out
}
