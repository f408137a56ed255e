package testutil

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
)

// SignaturePNG is a small drawn signature, a real PNG, carrying note in a
// tEXt chunk: a canary test hides a marker in the image's bytes this way
// and the image still decodes and prints.
func SignaturePNG(note string) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 120, 40))
	for x := 10; x < 110; x++ {
		img.Set(x, 20+(x%7)-3, color.NRGBA{0, 0, 80, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // an in-memory encode of a valid image cannot fail
	}
	if note == "" {
		return b.Bytes()
	}
	const afterIHDR = 8 + 8 + 13 + 4 // signature, IHDR's length and type, its data, its CRC
	data := append([]byte("Comment\x00"), note...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	typed := append([]byte("tEXt"), data...)
	chunk = append(chunk, typed...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(typed))
	raw := b.Bytes()
	return append(append(append([]byte{}, raw[:afterIHDR]...), chunk...), raw[afterIHDR:]...)
}
