package policy

import "fmt"

// keyAdminActions are actions that, granted to the key's account, keep the
// key administrable: with kms:PutKeyPolicy the account can repair the policy.
var keyAdminActions = []string{"kms:PutKeyPolicy"}

// CheckKeyAdmin refuses a key policy that would lock the key's own account
// out: some Allow statement must grant kms:PutKeyPolicy (for example through
// "kms:*") to the account root, the account id, or some principal of the
// account. Conditions on that statement are not evaluated.
func CheckKeyAdmin(name string, keyPolicy *Document, keyAccount string) []Finding {
	if keyPolicy != nil {
		for _, s := range keyPolicy.Statements {
			if s.Effect != Allow || s.Principal == nil {
				continue
			}
			if !grantsAll(s, keyAdminActions) {
				continue
			}
			if principalInAccount(s.Principal, keyAccount) {
				return nil
			}
		}
	}
	return []Finding{{Check: CheckKeyLockout, Document: name, Index: -1, Blocking: true,
		Message: fmt.Sprintf("%s would not let account %s administer the key (no Allow of kms:PutKeyPolicy to arn:aws:iam::%s:root or a principal of the account); refusing to write it", name, keyAccount, keyAccount)}}
}

func grantsAll(s Statement, actions []string) bool {
	for _, a := range actions {
		if actionMatch(s, a) != yes {
			return false
		}
	}
	return true
}

func principalInAccount(p *Principal, account string) bool {
	if p.All {
		return true
	}
	for _, v := range p.IDs["AWS"] {
		if v == "*" || v == account || accountOf(v) == account {
			return true
		}
	}
	return false
}
