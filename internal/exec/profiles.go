package exec

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/lakesync/lakesync/internal/config"
)

// sharedFile is one of the shared files the SDK reads profiles from.
type sharedFile struct {
	path     string
	env      string // the variable that named it; "" for the default path
	config   bool   // the config file ("[profile x]"), else credentials ("[x]")
	missing  bool
	profiles []string
}

func (f sharedFile) String() string {
	kind := "credentials"
	if f.config {
		kind = "config"
	}
	s := fmt.Sprintf("the shared %s file %s", kind, f.path)
	switch {
	case f.missing && f.env != "":
		s += fmt.Sprintf(" (from %s; it does not exist)", f.env)
	case f.missing:
		s += " (the default; it does not exist)"
	case f.env != "":
		s += fmt.Sprintf(" (from %s)", f.env)
	}
	return s
}

// unknownProfile explains a shared-config profile the SDK did not find
// while loading acct's configuration: the files it read, the profiles they
// have and the nearest of them. ok is false for every other error.
func unknownProfile(err error, acct *config.Account) (msg string, ok bool) {
	var pe awsconfig.SharedConfigProfileNotExistError
	if !errors.As(err, &pe) {
		return "", false
	}
	files := []sharedFile{
		readSharedFile(os.Getenv("AWS_CONFIG_FILE"), "AWS_CONFIG_FILE", awsconfig.DefaultSharedConfigFiles, true),
		readSharedFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), "AWS_SHARED_CREDENTIALS_FILE", awsconfig.DefaultSharedCredentialsFiles, false),
	}
	var have []string
	for _, f := range files {
		for _, p := range f.profiles {
			if !slices.Contains(have, p) {
				have = append(have, p)
			}
		}
	}
	slices.Sort(have)

	var b strings.Builder
	fmt.Fprintf(&b, "profile %q", pe.Profile)
	switch {
	case acct.Profile == "" && os.Getenv("AWS_PROFILE") != "":
		b.WriteString(" (from AWS_PROFILE)")
	case acct.Profile == "":
		b.WriteString(" (from AWS_DEFAULT_PROFILE)")
	case pe.Profile != acct.Profile:
		fmt.Fprintf(&b, " (source_profile of profile %q)", acct.Profile)
	}
	fmt.Fprintf(&b, " is not in %s nor in %s", files[0], files[1])
	if len(have) == 0 {
		b.WriteString(", which have no profile")
	} else {
		quoted := make([]string, len(have))
		for i, p := range have {
			quoted[i] = fmt.Sprintf("%q", p)
		}
		fmt.Fprintf(&b, ", which have the profiles %s", strings.Join(quoted, ", "))
	}
	if near := config.Nearest(pe.Profile, slices.Clone(have)); near != "" {
		fmt.Fprintf(&b, "; did you mean %q? Set", near)
	} else {
		b.WriteString("; set")
	}
	fmt.Fprintf(&b, " profile in account %q to one of them, or add [profile %s] to %s", acct.Name, pe.Profile, files[0].path)
	return b.String(), true
}

// readSharedFile reads the profile names of the file the SDK reads: the
// one env names, else the SDK's default. A file that cannot be read has
// no profiles, as for the SDK.
func readSharedFile(fromEnv, env string, defaults []string, isConfig bool) sharedFile {
	f := sharedFile{path: fromEnv, env: env, config: isConfig}
	if fromEnv == "" {
		f.env = ""
		if len(defaults) > 0 {
			f.path = defaults[0]
		}
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		f.missing = true
		return f
	}
	f.profiles = profileNames(string(data), isConfig)
	return f
}

// profileNames are the profiles of a shared file's text: "[default]" and
// "[profile x]" in the config file (other sections, such as sso-session,
// are not profiles), "[x]" in the credentials file. A minimal reading of
// the format: section headers only.
func profileNames(text string, isConfig bool) []string {
	var names []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[") {
			continue
		}
		end := strings.IndexByte(line, ']')
		if end < 0 {
			continue
		}
		name := strings.TrimSpace(line[1:end])
		fields := strings.Fields(name)
		switch {
		case name == "default":
		case len(fields) == 2 && fields[0] == "profile" && isConfig:
			name = fields[1]
		case len(fields) == 1 && !isConfig:
		default:
			continue
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}
