package catalog

import (
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Keys, secrets and generated credentials.
func init() {
	register(
		&Type{
			Token: "aws:kms/key:Key",
			Loses: "the key material: a replacement is a new key, and what the old one encrypted (databases, " +
				"caches, logs, secrets, volumes) is unreadable once it is deleted",
			// Policy, description, rotation and deletion window change in place.
			Source:     tfaws("kms/key.go"),
			Replace:    always("customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"),
			Create:     fixed(5*time.Second, "CreateKey returns an enabled key at once"),
			Highlights: paths("enableKeyRotation", "deletionWindowInDays"),
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("KMS key")
				if missing != nil {
					return unpriced(missing)
				}
				return one(monthly("customer managed KMS key", "kms", p.KMSKeyMonth, 1))
			},
			Usage: []string{"KMS requests beyond the free tier (per 10,000)"},
		},
		&Type{
			Token: "aws:kms/alias:Alias",
			// The target key changes in place.
			Source:  tfaws("kms/alias.go"),
			Replace: always("name", "namePrefix"),
		},
		&Type{
			Token: "aws:secretsmanager/secret:Secret",
			Loses: "the secret and every version of it: applications lose their credentials until a new value is written",
			// The key, description, policy and recovery window change in place.
			Source:     tfaws("secretsmanager/secret.go"),
			Replace:    always("name", "namePrefix"),
			Highlights: paths("description"),
			Cost: func(u Usage) []Charge {
				p, missing := u.prices("secret")
				if missing != nil {
					return unpriced(missing)
				}
				return one(monthly("Secrets Manager secret", "secretsmanager", p.SecretMonth, 1))
			},
			Usage: []string{"Secrets Manager API calls (per 10,000)"},
		},
		&Type{
			Token: "aws:secretsmanager/secretVersion:SecretVersion",
			// A new value is a new version: the old one loses AWSCURRENT.
			// The credentials in it come from the passwords and tokens
			// listed as losing something, or from RDS.
			Source:  tfaws("secretsmanager/secret_version.go"),
			Replace: always("secretId", "secretString", "secretBinary"),
			Sets:    paths("versionStages"),
		},
		&Type{
			Token: "aws:secretsmanager/secretRotation:SecretRotation",
			// The schedule and the rotation function change in place.
			Source:  tfaws("secretsmanager/secret_rotation.go"),
			Replace: always("secretId"),
		},
		&Type{
			Token: "random:index/randomPassword:RandomPassword",
			Loses: "the password: a new one is drawn, and whatever uses the old one must take the new one",
			// Every argument is RequiresReplace: any change draws a new value.
			Source:   "pulumi/pulumi-random, terraform-provider-random internal/provider/resource_password.go",
			NoUpdate: true,
			State: func(s *State) {
				randomString(s)
				// The provider declares a password's result secret, so the
				// engine returns it as one.
				s.Props["result"] = resource.MakeSecret(s.Props["result"])
			},
		},
		&Type{
			Token:    "random:index/randomString:RandomString",
			Source:   "pulumi/pulumi-random, terraform-provider-random internal/provider/resource_string.go",
			NoUpdate: true,
			State:    randomString,
		},
		&Type{
			Token:    "random:index/randomId:RandomId",
			Source:   "pulumi/pulumi-random, terraform-provider-random internal/provider/resource_id.go",
			NoUpdate: true,
			State:    randomID,
		},
	)
}
