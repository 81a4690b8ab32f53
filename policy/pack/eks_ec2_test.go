package pack_test

import "testing"

func TestEKS(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-eks-cluster-secrets-encrypted", []ruleCase{
		{name: "compliant"},
		{name: "missing", edits: []edit{del("eks", "encryptionConfig")}, want: "not envelope-encrypted", on: "eks"},
		{name: "other resources only", edits: []edit{set("eks", "encryptionConfig.resources", []any{"configmaps"})}, want: "not envelope-encrypted"},
		{name: "no key", edits: []edit{del("eks", "encryptionConfig.provider")}, want: "keyArn"},
		{name: "list form", edits: []edit{set("eks", "encryptionConfig", []any{map[string]any{"resources": []any{"secrets"}, "provider": map[string]any{"keyArn": keyARN}}})}},
		{name: "computed", edits: []edit{set("eks", "encryptionConfig", unknown)}},
		{name: "computed key", edits: []edit{set("eks", "encryptionConfig.provider.keyArn", unknown)}},
		{name: "wrong shape", edits: []edit{set("eks", "encryptionConfig", "secrets")}, want: "not envelope-encrypted"},
		{name: "other type ignored", edits: []edit{del("eks", "encryptionConfig"), retype("eks", otherType)}},
	})
	runCases(t, "aws-eks-cluster-endpoint-restricted", []ruleCase{
		{name: "compliant (private)"},
		{name: "public with no CIDRs", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true)}, want: "whole internet", on: "eks"},
		{name: "unset means public", edits: []edit{del("eks", "vpcConfig.endpointPublicAccess")}, want: "whole internet"},
		{name: "public to the world", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"203.0.113.0/24", "0.0.0.0/0"})}, want: "0.0.0.0/0, which together cover the internet"},
		{name: "public to the IPv6 world", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"::/0"})}, want: "::/0"},
		{name: "public to an office", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"203.0.113.0/24"})}},
		{name: "listed CIDRs", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"203.0.113.16/28"})},
			props: map[string]any{"allowedPublicAccessCidrs": []any{"203.0.113.0/24"}}},
		{name: "unlisted CIDR", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{"198.51.100.0/24"})},
			props: map[string]any{"allowedPublicAccessCidrs": []any{"203.0.113.0/24"}}, want: "not within the allowed CIDRs"},
		{name: "computed", edits: []edit{set("eks", "vpcConfig", unknown)}},
		{name: "computed CIDRs", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), set("eks", "vpcConfig.publicAccessCidrs", []any{unknown})}},
		{name: "wrong shape", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", "private")}, want: "whole internet"},
		{name: "other type ignored", edits: []edit{set("eks", "vpcConfig.endpointPublicAccess", true), retype("eks", otherType)}},
	})
	runCases(t, "aws-eks-cluster-private-endpoint-enabled", []ruleCase{
		{name: "compliant"},
		{name: "off", edits: []edit{set("eks", "vpcConfig.endpointPrivateAccess", false)}, want: "endpointPrivateAccess: true"},
		{name: "missing", edits: []edit{del("eks", "vpcConfig.endpointPrivateAccess")}, want: "private endpoint is off"},
		{name: "computed", edits: []edit{set("eks", "vpcConfig.endpointPrivateAccess", unknown)}},
		{name: "wrong shape", edits: []edit{set("eks", "vpcConfig.endpointPrivateAccess", 1)}, want: "got a number"},
		{name: "other type ignored", edits: []edit{set("eks", "vpcConfig.endpointPrivateAccess", false), retype("eks", otherType)}},
	})
	runCases(t, "aws-eks-cluster-control-plane-logging", []ruleCase{
		{name: "compliant"},
		{name: "audit only", edits: []edit{set("eks", "enabledClusterLogTypes", []any{"audit"})}, want: "`api`, `authenticator`, `controllerManager`, `scheduler`"},
		{name: "configured subset", edits: []edit{set("eks", "enabledClusterLogTypes", []any{"audit"})}, props: map[string]any{"requiredLogTypes": []any{"audit"}}},
		{name: "missing", edits: []edit{del("eks", "enabledClusterLogTypes")}, want: "are not enabled"},
		{name: "computed", edits: []edit{set("eks", "enabledClusterLogTypes", unknown)}},
		{name: "wrong shape", edits: []edit{set("eks", "enabledClusterLogTypes", "all")}, want: "are not enabled"},
		{name: "other type ignored", edits: []edit{del("eks", "enabledClusterLogTypes"), retype("eks", otherType)}},
	})
	runCases(t, "aws-eks-cluster-version-supported", []ruleCase{
		{name: "compliant"},
		{name: "old", edits: []edit{set("eks", "version", "1.27")}, want: "1.27 is older than 1.30"},
		{name: "configured minimum", edits: []edit{set("eks", "version", "1.31")}, props: map[string]any{"minimumVersion": "1.32"}, want: "older than 1.32"},
		{name: "missing means latest", edits: []edit{del("eks", "version")}},
		{name: "computed", edits: []edit{set("eks", "version", unknown)}},
		{name: "wrong shape", edits: []edit{set("eks", "version", 1.27)}},
		{name: "other type ignored", edits: []edit{set("eks", "version", "1.20"), retype("eks", otherType)}},
	})
	runCases(t, "aws-eks-nodegroup-ssh-restricted", []ruleCase{
		{name: "compliant (no remote access)"},
		{name: "key without source groups", edits: []edit{set("eks-general", "remoteAccess", map[string]any{"ec2SshKey": "ops"})}, want: "port 22", on: "eks-general"},
		{name: "key with source groups", edits: []edit{set("eks-general", "remoteAccess", map[string]any{"ec2SshKey": "ops", "sourceSecurityGroupIds": []any{"sg-1"}})}},
		{name: "computed groups", edits: []edit{set("eks-general", "remoteAccess", map[string]any{"ec2SshKey": "ops", "sourceSecurityGroupIds": unknown})}},
		{name: "computed key", edits: []edit{set("eks-general", "remoteAccess", map[string]any{"ec2SshKey": unknown})}},
		{name: "wrong shape", edits: []edit{set("eks-general", "remoteAccess", "ssh")}},
		{name: "other type ignored", edits: []edit{set("eks-general", "remoteAccess", map[string]any{"ec2SshKey": "ops"}), retype("eks-general", otherType)}},
	})
}

func TestSecurityGroupPublicIngress(t *testing.T) {
	t.Parallel()
	worldRule := func(name string, props map[string]any) edit {
		base := map[string]any{"securityGroupId": unknown, "description": "test", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}
		for k, v := range props {
			base[k] = v
		}
		return add(res{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: name, props: base})
	}
	inline := func(entry map[string]any) edit {
		return set("db-sg", "ingress", []any{entry})
	}
	runCases(t, "aws-ec2-securitygroup-disallow-public-ingress", []ruleCase{
		{name: "compliant (VPC CIDR and source groups)"},
		{name: "443 from the world is allowlisted", edits: []edit{worldRule("web", nil)}},
		{name: "IPv6 world on 443 is allowlisted", edits: []edit{worldRule("web6", map[string]any{"cidrIpv4": nil, "cidrIpv6": "::/0"})}},
		{name: "5432 from the world", edits: []edit{set("db-sg-eks-nodes-5432", "cidrIpv4", "0.0.0.0/0")}, want: "database, cache, broker or admin port(s) 5432", on: "db-sg-eks-nodes-5432"},
		{name: "5432 allowlisted is still forbidden", edits: []edit{set("db-sg-eks-nodes-5432", "cidrIpv4", "0.0.0.0/0")},
			props: map[string]any{"allowedPorts": []any{443, 5432}}, want: "must never be public"},
		{name: "6379 from the IPv6 world", edits: []edit{worldRule("redis6", map[string]any{"cidrIpv4": nil, "cidrIpv6": "::/0", "fromPort": 6379, "toPort": 6379})}, want: "6379"},
		{name: "8080 not allowlisted", edits: []edit{worldRule("alt", map[string]any{"fromPort": 8080, "toPort": 8080})}, want: "only port(s) 443"},
		{name: "8080 allowlisted by config", edits: []edit{worldRule("alt", map[string]any{"fromPort": 8080, "toPort": 8080})}, props: map[string]any{"allowedPorts": []any{443, 8080}}},
		{name: "all traffic", edits: []edit{worldRule("all", map[string]any{"ipProtocol": "-1", "fromPort": nil, "toPort": nil})}, want: "0-65535"},
		{name: "range covering 443 and more", edits: []edit{worldRule("range", map[string]any{"fromPort": 400, "toPort": 500})}, want: "400-500"},
		{name: "icmp", edits: []edit{worldRule("ping", map[string]any{"ipProtocol": "icmp", "fromPort": 8, "toPort": 0})}, want: "ICMP"},
		{name: "inline ingress", edits: []edit{inline(map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": []any{"10.0.0.0/8", "0.0.0.0/0"}})}, want: "`ingress[0]`", on: "db-sg"},
		{name: "inline IPv6", edits: []edit{inline(map[string]any{"protocol": "tcp", "fromPort": 22, "toPort": 22, "ipv6CidrBlocks": []any{"::/0"}})}, want: "22"},
		{name: "legacy rule resource", edits: []edit{add(res{typ: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "legacy", props: map[string]any{
			"type": "ingress", "securityGroupId": unknown, "protocol": "tcp", "fromPort": 5672, "toPort": 5672, "cidrBlocks": []any{"0.0.0.0/0"},
		}})}, want: "5672"},
		{name: "legacy egress rule ignored", edits: []edit{add(res{typ: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "legacy", props: map[string]any{
			"type": "egress", "securityGroupId": unknown, "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": []any{"0.0.0.0/0"},
		}})}},
		{name: "default group inline", edits: []edit{set("vpc-default", "ingress", []any{map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": []any{"0.0.0.0/0"}}})}, want: "0-65535"},
		{name: "computed CIDR", edits: []edit{set("db-sg-eks-nodes-5432", "cidrIpv4", unknown)}},
		{name: "computed ports", edits: []edit{worldRule("later", map[string]any{"fromPort": unknown, "toPort": unknown})}},
		{name: "missing ports on tcp means every port", edits: []edit{worldRule("noports", map[string]any{"fromPort": nil, "toPort": nil})}, want: "0-65535"},
		{name: "wrong shape CIDR list", edits: []edit{inline(map[string]any{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": "0.0.0.0/0"})}},
		{name: "egress rules are not ingress", edits: []edit{set("eks-nodes-egress", "fromPort", 5432)}},
		{name: "other type ignored", edits: []edit{set("db-sg-eks-nodes-5432", "cidrIpv4", "0.0.0.0/0"), retype("db-sg-eks-nodes-5432", otherType)}},
	})
	runCases(t, "aws-ec2-defaultsecuritygroup-no-rules", []ruleCase{
		{name: "compliant"},
		{name: "ingress from itself", edits: []edit{set("vpc-default", "ingress", []any{map[string]any{"protocol": "-1", "self": true, "fromPort": 0, "toPort": 0}})}, want: "1 ingress rule(s)", on: "vpc-default"},
		{name: "egress", edits: []edit{set("vpc-default", "egress", []any{map[string]any{"protocol": "-1", "cidrBlocks": []any{"0.0.0.0/0"}, "fromPort": 0, "toPort": 0}})}, want: "egress"},
		{name: "empty lists", edits: []edit{set("vpc-default", "ingress", []any{}), set("vpc-default", "egress", []any{})}},
		{name: "computed", edits: []edit{set("vpc-default", "ingress", unknown)}},
		{name: "wrong shape", edits: []edit{set("vpc-default", "ingress", "none")}},
		{name: "other type ignored", edits: []edit{set("vpc-default", "egress", []any{map[string]any{"protocol": "-1"}}), retype("vpc-default", otherType)}},
	})
	runCases(t, "aws-ec2-securitygroup-descriptions", []ruleCase{
		{name: "compliant"},
		{name: "group without description", edits: []edit{del("db-sg", "description")}, want: "`description` is missing", on: "db-sg"},
		{name: "provider default", edits: []edit{set("db-sg", "description", "Managed by Pulumi")}, want: "provider's default"},
		{name: "rule without description", edits: []edit{del("db-sg-eks-nodes-5432", "description")}, want: "`description` is missing"},
		{name: "inline entry without description", edits: []edit{set("db-sg", "egress", []any{map[string]any{"protocol": "-1"}})}, want: "`egress[0].description`"},
		{name: "computed", edits: []edit{set("db-sg", "description", unknown)}},
		{name: "wrong shape", edits: []edit{set("db-sg", "description", 1)}, want: "`description` is missing"},
		{name: "other type ignored", edits: []edit{del("db-sg", "description"), retype("db-sg", otherType)}},
	})
}

func TestLaunchTemplates(t *testing.T) {
	t.Parallel()
	lt := "eks-general-lt"
	runCases(t, "aws-ec2-launchtemplate-imdsv2-required", []ruleCase{
		{name: "compliant"},
		{name: "optional", edits: []edit{set(lt, "metadataOptions.httpTokens", "optional")}, want: `httpTokens: "required"`, on: lt},
		{name: "missing", edits: []edit{del(lt, "metadataOptions")}, want: "IMDSv1 is allowed"},
		{name: "endpoint disabled", edits: []edit{set(lt, "metadataOptions", map[string]any{"httpEndpoint": "disabled"})}},
		{name: "computed", edits: []edit{set(lt, "metadataOptions.httpTokens", unknown)}},
		{name: "wrong shape", edits: []edit{set(lt, "metadataOptions", "required")}, want: "IMDSv1 is allowed"},
		{name: "other type ignored", edits: []edit{del(lt, "metadataOptions"), retype(lt, otherType)}},
	})
	runCases(t, "aws-ec2-launchtemplate-volumes-encrypted", []ruleCase{
		{name: "compliant"},
		{name: "string false", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.encrypted", "false")}, want: "`blockDeviceMappings[0].ebs.encrypted`"},
		{name: "boolean true counts", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.encrypted", true)}},
		{name: "missing flag", edits: []edit{del(lt, "blockDeviceMappings[0].ebs.encrypted")}, want: "is not \"true\""},
		{name: "no mappings", edits: []edit{del(lt, "blockDeviceMappings")}, want: "AMI's default"},
		{name: "mapping without ebs", edits: []edit{set(lt, "blockDeviceMappings", []any{map[string]any{"deviceName": "/dev/sdb", "virtualName": "ephemeral0"}})}},
		{name: "computed", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.encrypted", unknown)}},
		{name: "computed mappings", edits: []edit{set(lt, "blockDeviceMappings", unknown)}},
		{name: "wrong shape", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.encrypted", "encrypted")}, want: "got a string"},
		{name: "other type ignored", edits: []edit{del(lt, "blockDeviceMappings"), retype(lt, otherType)}},
	})
	runCases(t, "aws-ec2-launchtemplate-volumes-customer-managed-key", []ruleCase{
		{name: "compliant"},
		{name: "missing key", edits: []edit{del(lt, "blockDeviceMappings[0].ebs.kmsKeyId")}, want: "Volume 0 uses the AWS-managed key"},
		{name: "aws-managed", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.kmsKeyId", "alias/aws/ebs")}, want: "AWS-managed key"},
		{name: "computed", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.kmsKeyId", unknown)}},
		{name: "wrong shape", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.kmsKeyId", 9)}, want: "got a number"},
		{name: "unencrypted is another policy's", edits: []edit{set(lt, "blockDeviceMappings[0].ebs.encrypted", "false"), del(lt, "blockDeviceMappings[0].ebs.kmsKeyId")}},
		{name: "other type ignored", edits: []edit{del(lt, "blockDeviceMappings[0].ebs.kmsKeyId"), retype(lt, otherType)}},
	})
	runCases(t, "aws-ec2-launchtemplate-no-public-ip", []ruleCase{
		{name: "compliant"},
		{name: "public", edits: []edit{set(lt, "networkInterfaces", []any{map[string]any{"associatePublicIpAddress": "true"}})}, want: "networkInterfaces[0].associatePublicIpAddress"},
		{name: "explicitly private", edits: []edit{set(lt, "networkInterfaces", []any{map[string]any{"associatePublicIpAddress": "false"}})}},
		{name: "computed", edits: []edit{set(lt, "networkInterfaces", []any{map[string]any{"associatePublicIpAddress": unknown}})}},
		{name: "wrong shape", edits: []edit{set(lt, "networkInterfaces", []any{map[string]any{"associatePublicIpAddress": 1}})}, want: "must be false"},
		{name: "other type ignored", edits: []edit{set(lt, "networkInterfaces", []any{map[string]any{"associatePublicIpAddress": "true"}}), retype(lt, otherType)}},
	})
	runCases(t, "aws-ec2-launchtemplate-metadata-hop-limit", []ruleCase{
		{name: "compliant"},
		{name: "two hops", edits: []edit{set(lt, "metadataOptions.httpPutResponseHopLimit", 2)}, want: "is 2"},
		{name: "two hops allowed by config", edits: []edit{set(lt, "metadataOptions.httpPutResponseHopLimit", 2)}, props: map[string]any{"maximumHopLimit": 2}},
		{name: "missing", edits: []edit{del(lt, "metadataOptions.httpPutResponseHopLimit")}},
		{name: "computed", edits: []edit{set(lt, "metadataOptions.httpPutResponseHopLimit", unknown)}},
		{name: "wrong shape", edits: []edit{set(lt, "metadataOptions.httpPutResponseHopLimit", []any{2})}},
		{name: "other type ignored", edits: []edit{set(lt, "metadataOptions.httpPutResponseHopLimit", 5), retype(lt, otherType)}},
	})
	runCases(t, "aws-ec2-launchtemplate-no-secrets-in-user-data", []ruleCase{
		{name: "compliant"},
		{name: "password in base64 user data", edits: []edit{set(lt, "userData", "IyEvYmluL2Jhc2gKZXhwb3J0IERCX1BBU1NXT1JEPWh1bnRlcjIK")}, want: "a value assigned to DB_PASSWORD"},
		{name: "raw user data with an AWS key", edits: []edit{set(lt, "userData", "#!/bin/sh\naws configure set aws_access_key_id AKIAABCDEFGHIJKLMNOP\n")}, want: "an AWS access key"},
		{name: "placeholder is fine", edits: []edit{set(lt, "userData", "#!/bin/sh\nexport DB_PASSWORD=$(aws secretsmanager get-secret-value)\n")}},
		{name: "missing", edits: []edit{del(lt, "userData")}},
		{name: "computed", edits: []edit{set(lt, "userData", unknown)}},
		{name: "wrong shape", edits: []edit{set(lt, "userData", 12)}},
		{name: "other type ignored", edits: []edit{set(lt, "userData", "password=hunter2"), retype(lt, otherType)}},
	})
	runCases(t, "aws-ec2-subnet-no-public-ip-on-launch", []ruleCase{
		{name: "compliant"},
		{name: "public", edits: []edit{set("vpc-private-us-east-1a", "mapPublicIpOnLaunch", true)}, want: "mapPublicIpOnLaunch"},
		{name: "missing", edits: []edit{del("vpc-private-us-east-1a", "mapPublicIpOnLaunch")}},
		{name: "computed", edits: []edit{set("vpc-private-us-east-1a", "mapPublicIpOnLaunch", unknown)}},
		{name: "wrong shape", edits: []edit{set("vpc-private-us-east-1a", "mapPublicIpOnLaunch", "maybe")}, want: "got a string"},
		{name: "other type ignored", edits: []edit{set("vpc-private-us-east-1a", "mapPublicIpOnLaunch", true), retype("vpc-private-us-east-1a", otherType)}},
	})
}

func TestVPCStackPolicies(t *testing.T) {
	t.Parallel()
	runCases(t, "aws-ec2-vpc-flow-logs-enabled", []ruleCase{
		{name: "compliant (linked by dependency)"},
		{name: "linked by id (AnalyzeStack outputs)", edits: []edit{withDeps("vpc-flowlog", nil), set("vpc", "id", "vpc-0abc"), set("vpc-flowlog", "vpcId", "vpc-0abc")}},
		{name: "no flow log", edits: []edit{drop("vpc-flowlog")}, want: "no flow log", on: "vpc"},
		{name: "flow log of another VPC", edits: []edit{withDeps("vpc-flowlog", nil), set("vpc", "id", "vpc-0abc"), set("vpc-flowlog", "vpcId", "vpc-9999")}, want: "no flow log"},
		{name: "accepted traffic only", edits: []edit{set("vpc-flowlog", "trafficType", "ACCEPT")}, want: "no flow log"},
		{name: "computed link", edits: []edit{withDeps("vpc-flowlog", nil)}},
		{name: "wrong shape", edits: []edit{withDeps("vpc-flowlog", nil), set("vpc-flowlog", "vpcId", 5)}, want: "no flow log"},
		{name: "other type ignored", edits: []edit{drop("vpc-flowlog"), retype("vpc", otherType)}},
	})
	runCases(t, "aws-ec2-vpc-default-security-group-adopted", []ruleCase{
		{name: "compliant"},
		{name: "not adopted", edits: []edit{drop("vpc-default")}, want: "adopt it", on: "vpc"},
		{name: "adopted by id", edits: []edit{withDeps("vpc-default", nil), set("vpc", "id", "vpc-1"), set("vpc-default", "vpcId", "vpc-1")}},
		{name: "other VPC's", edits: []edit{withDeps("vpc-default", nil), set("vpc", "id", "vpc-1"), set("vpc-default", "vpcId", "vpc-2")}, want: "adopt it"},
		{name: "other type ignored", edits: []edit{drop("vpc-default"), retype("vpc", otherType)}},
	})
	runCases(t, "aws-ec2-securitygroup-no-mixed-rule-management", []ruleCase{
		{name: "compliant"},
		{name: "inline plus rule resource", edits: []edit{
			set("db-sg", "ingress", []any{map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "securityGroups": []any{"sg-1"}}}),
			withDeps("db-sg-eks-nodes-5432", map[string][]string{"securityGroupId": {"db-sg"}}),
		}, want: "inline rules and is also managed", on: "db-sg"},
		{name: "inline only", edits: []edit{set("db-sg", "ingress", []any{map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432}})}},
		{name: "other type ignored", edits: []edit{
			set("db-sg", "ingress", []any{map[string]any{"protocol": "tcp"}}),
			withDeps("db-sg-eks-nodes-5432", map[string][]string{"securityGroupId": {"db-sg"}}),
			retype("db-sg", otherType),
		}},
	})
}
