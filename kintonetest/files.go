package kintonetest

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// maxUploadBytes bounds an upload. Kintone allows 1 GB per file (REST-API.md
// §4.10); the emulator keeps files in memory and stops at 64 MiB, which is
// plenty for tests, and says so.
const maxUploadBytes = 64 << 20

// postFile stores a multipart upload (one part named "file") and answers
// its upload key.
func (s *Server) postFile(c *call) (any, *apierr.Error) {
	if err := c.p.authorize(0, permFileWrite); err != nil {
		return nil, err
	}
	r := c.r
	r.Body = http.MaxBytesReader(c.w, r.Body, maxUploadBytes+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return nil, apierr.Invalid("file", apierr.Text{En: "Upload a file as the multipart part \"file\" (at most 64 MiB in the emulator).", Ja: "ファイルをマルチパートの「file」として送信してください。"})
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, apierr.Invalid("file", apierr.MsgRequiredParam)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUploadBytes+1))
	if err != nil || len(data) > maxUploadBytes {
		return nil, apierr.Invalid("file", apierr.Text{En: "The file is larger than the emulator's 64 MiB limit.", Ja: "ファイルがエミュレーターの上限（64 MiB）を超えています。"})
	}
	ct := hdr.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	key, serr := s.store.Upload(hdr.Filename, ct, data)
	if serr != nil {
		return nil, asAPIError(serr)
	}
	return map[string]string{"fileKey": key}, nil
}

type getFileParams struct {
	FileKey Str `json:"fileKey"`
}

// getFile downloads an attachment by the key found in a record's FILE value.
func (s *Server) getFile(c *call) (any, *apierr.Error) {
	if err := c.p.authorize(0, permFileRead); err != nil {
		return nil, err
	}
	var p getFileParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	if !p.FileKey.Set || p.FileKey.V == "" {
		return nil, apierr.Invalid("fileKey", apierr.MsgRequiredParam)
	}
	ref, data, err := s.store.Download(p.FileKey.V)
	if err != nil {
		return nil, asAPIError(err)
	}
	h := c.w.Header()
	h.Set("Content-Type", ref.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ref.Name}))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(data)
	return nil, nil
}
