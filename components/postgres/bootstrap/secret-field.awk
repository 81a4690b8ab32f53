# Prints the string value of one top-level field of a JSON object (the field
# is named with -v key=...), JSON escapes decoded, without a trailing newline.
# Exits non-zero when the field is missing, not a string, unterminated, or
# holds a character outside printable ASCII.
#
# It reads RDS-managed master secrets ({"username":"...","password":"..."}) in
# images that have a POSIX shell and awk but no jq: busybox, mawk and gawk all
# run it. RDS-generated passwords exclude / " @ and space, but JSON may
# escape a backslash (\\) and encoders may write any character as \uXXXX.
{ doc = doc $0 "\n" }

END {
	if (key == "")
		exit 3
	if (!match(doc, "\"" key "\"[ \t\r\n]*:[ \t\r\n]*\""))
		exit 2
	rest = substr(doc, RSTART + RLENGTH)
	out = ""
	while (length(rest) > 0) {
		c = substr(rest, 1, 1)
		if (c == "\"") {
			printf "%s", out
			exit 0
		}
		if (c == "\\") {
			e = substr(rest, 2, 1)
			if (e == "u") {
				code = hex4(substr(rest, 3, 4))
				if (code < 32 || code > 126)
					exit 4
				out = out sprintf("%c", code)
				rest = substr(rest, 7)
				continue
			}
			if (e != "\"" && e != "\\" && e != "/")
				exit 4
			out = out e
			rest = substr(rest, 3)
			continue
		}
		if (c == "\n")
			exit 4
		out = out c
		rest = substr(rest, 2)
	}
	exit 2
}

function hex4(s,    i, d, n) {
	if (length(s) != 4)
		return -1
	n = 0
	for (i = 1; i <= 4; i++) {
		d = index("0123456789abcdef", tolower(substr(s, i, 1)))
		if (d == 0)
			return -1
		n = n * 16 + d - 1
	}
	return n
}
