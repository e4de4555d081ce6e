package bucketops

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// Setting is one bucket setting or configuration that does not move with
// the objects. Name is one of: "policy" (only the statements lakesync
// does not own), "notifications", "replication", "inventory" (one
// Setting per inventory configuration), "lifecycle", "website", "cors",
// "tags", "logging", "object_lock". Reapply is the command that puts it
// back, e.g.
//
//	aws s3api put-bucket-lifecycle-configuration --bucket NAME --lifecycle-configuration file://lifecycle.json
//
// File is the file that command reads ("lifecycle.json",
// "inventory-ID.json"): write JSON there. JSON is the document that
// command takes (indented), never empty for a returned Setting.
type Setting struct {
	Name    string          `json:"name"`
	Reapply string          `json:"reapply"`
	File    string          `json:"file"`
	JSON    json.RawMessage `json:"document"`
}

// newSetting is the Setting name whose document is doc, put back by
// `aws s3api cmd --bucket BUCKET [extra...] flag file://file`.
func newSetting(name, bucket, cmd, flag, file string, doc []byte, extra ...string) Setting {
	args := ""
	for _, e := range extra {
		args += " " + shellWord(e)
	}
	return Setting{
		Name:    name,
		Reapply: fmt.Sprintf("aws s3api %s --bucket %s%s %s file://%s", cmd, shellWord(bucket), args, flag, shellWord(file)),
		File:    file,
		JSON:    doc,
	}
}

var (
	plainWord = regexp.MustCompile(`^[A-Za-z0-9._/:=@+-]+$`)
	notInFile = regexp.MustCompile(`[^A-Za-z0-9._-]`)
)

// shellWord is s as one word of a POSIX shell command.
func shellWord(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fileWord is s made safe as part of a file name.
func fileWord(s string) string {
	return notInFile.ReplaceAllString(s, "_")
}

// document is v, an SDK type (types.LifecycleConfiguration, ...), as the
// indented JSON the AWS CLI takes for it: the SDK's member names, with
// unset members (nil pointers, nil slices and maps, empty enums) left
// out, as the CLI rejects nulls. The SDK's own JSON would carry them.
func document(v any) (json.RawMessage, error) {
	return json.MarshalIndent(plain(reflect.ValueOf(v)), "", "  ")
}

var timeType = reflect.TypeOf(time.Time{})

// plain is v as maps, slices and scalars; ok is false when v is unset.
func plain(v reflect.Value) any {
	out, _ := plainOK(v)
	return out
}

func plainOK(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return plainOK(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = plain(v.Index(i))
		}
		return out, true
	case reflect.Map:
		if v.IsNil() {
			return nil, false
		}
		out := map[string]any{}
		for _, k := range v.MapKeys() {
			out[fmt.Sprint(k.Interface())] = plain(v.MapIndex(k))
		}
		return out, true
	case reflect.Struct:
		if v.Type() == timeType {
			return v.Interface().(time.Time).UTC().Format(time.RFC3339), true
		}
		out := map[string]any{}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if fv, ok := plainOK(v.Field(i)); ok {
				out[f.Name] = fv
			}
		}
		return out, true
	case reflect.String:
		// A non-pointer string of the SDK is an enum: empty is unset.
		return v.String(), v.String() != ""
	}
	return v.Interface(), true
}
