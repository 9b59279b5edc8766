package pandastackerrors

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// maxDrain bounds how much of an oversized body is read and thrown away, so that the client
// gets the 400 instead of a connection reset while it is still sending.
const maxDrain = 64 << 20

// DecodeJSON reads an application/json request body of at most limit bytes into v, rejecting
// fields v does not declare. Its errors are the validation codes, ready for Write:
// validation.unsupported_media_type, validation.body_too_large, validation.malformed_json and
// validation.invalid_body (a field of the wrong type or an unknown field, named in details).
// Required fields and value ranges are the handler's to check.
func DecodeJSON(r *http.Request, limit int64, v any) Error {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/json" {
		got := r.Header.Get("Content-Type")
		if got == "" {
			got = "(none)"
		}
		return NewValidationUnsupportedMediaType("Content-Type "+got+" is not accepted here; send application/json",
			ValidationDetails{Fields: []ValidationDetailsField{{Field: "header.content-type", Location: "header", Problem: "unsupported", Message: "expected application/json"}}})
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if int64(len(body)) > limit {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
		return NewValidationBodyTooLarge("Request body is larger than "+strconv.FormatInt(limit, 10)+" bytes",
			ValidationDetails{Fields: []ValidationDetailsField{{Field: "body", Location: "body", Problem: "too_large", Message: "at most " + strconv.FormatInt(limit, 10) + " bytes"}}})
	}
	if err != nil || !json.Valid(body) {
		return malformed("the body does not parse as JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			field := "body"
			if typeErr.Field != "" {
				field = "body." + typeErr.Field
			}
			return invalidBody(field, "type", "expected "+typeErr.Type.String()+", got a JSON "+typeErr.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
			return invalidBody("body."+name, "additional_property", "unknown field "+name)
		default:
			return invalidBody("body", "type", err.Error())
		}
	}
	return nil
}

// InvalidBody is validation.invalid_body naming one field (e.g. "body.template") and the problem
// (e.g. "required").
func InvalidBody(field, problem, message string) Error { return invalidBody(field, problem, message) }

// InvalidParameter is validation.invalid_parameter naming one parameter as location.name
// ("path.id", "query.limit", "header.x-pandastack-workspace").
func InvalidParameter(field, problem, message string) Error {
	location := field
	if i := strings.IndexByte(field, '.'); i > 0 {
		location = field[:i]
	}
	return NewValidationInvalidParameter("Parameter "+field+" is invalid: "+message,
		ValidationDetails{Fields: []ValidationDetailsField{{Field: field, Location: location, Problem: problem, Message: message}}})
}

func invalidBody(field, problem, message string) Error {
	return NewValidationInvalidBody("Request body is invalid: "+field+": "+message,
		ValidationDetails{Fields: []ValidationDetailsField{{Field: field, Location: "body", Problem: problem, Message: message}}})
}

func malformed(message string) Error {
	return NewValidationMalformedJson("Request body is not valid JSON: "+message,
		ValidationDetails{Fields: []ValidationDetailsField{{Field: "body", Location: "body", Problem: "malformed_json", Message: message}}})
}
