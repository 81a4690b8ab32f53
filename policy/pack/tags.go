package pack

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

func isTaggable(r policyx.AnalyzerResource) bool {
	if !strings.HasPrefix(r.Type, "aws:") {
		return false
	}
	if taggableTypes[r.Type] {
		return true
	}
	_, has := r.Properties.GetOk("tags")
	return has
}

func tagRules() []*rule {
	return []*rule{
		{
			// Closes: resources nobody owns, which nobody patches, pays for
			// knowingly or cleans up.
			name:        "aws-resources-ownership-tags",
			description: "Every taggable AWS resource carries the ownership tags (Owner and Environment by default), counting the provider's defaultTags.",
			level:       Advisory,
			severity:    Low,
			types:       taggableTypeList(),
			matches:     isTaggable,
			schema: schemaProps{
				"requiredTags": stringListProp("Tag keys every taggable resource must carry.", []string{"Owner", "Environment"}),
			},
			check: judgeTags,
		},
	}
}

// judgeTags is the ownership rule's judgement, for resources isTaggable
// accepts.
func judgeTags(r policyx.AnalyzerResource, s settings) []string {
	own := at(r.Properties, "tags")
	if own.isUnknown() {
		return nil
	}
	defaults := root(r.Provider.Properties).get("defaultTags")
	if defaults.isUnknown() {
		return nil
	}
	if d, ok := defaults.json(); ok {
		defaults = d
	}
	inherited := defaults.get("tags")
	if inherited.isUnknown() {
		return nil
	}
	var missing []string
	for _, k := range s.strs("requiredTags") {
		if !hasTag(own, k) && !hasTag(inherited, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("Tags %s are missing; set them in `aws:defaultTags` (Pulumi.<stack>.yaml) or in the resource's `tags`.", quoteList(missing))}
}

// hasTag reports a tag that is set to a non-empty (or not yet known) value.
func hasTag(tags node, key string) bool {
	v := tags.get(key)
	return v.isUnknown() || v.nonEmpty()
}

// isTaggable's fallback (inputs carrying tags) covers types outside the
// generated list, so the rule's declared types are the list itself.
func taggableTypeList() []string {
	out := make([]string, 0, len(taggableTypes))
	for t := range taggableTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func sortedStrings(xs []string) []string {
	sort.Strings(xs)
	return xs
}
