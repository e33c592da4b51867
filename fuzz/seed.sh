#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from testdata/ and ../shared/corpus (when present).
set -euo pipefail
cd "$(dirname "$0")"
roots=(../testdata)
[ -d ../../shared/corpus ] && roots+=(../../shared/corpus)
mkdir -p corpus/{arm_json,hcl,arm_expr,tf_eval,pipeline,bicep_parse}

seed() { # target, files... (deduplicated by content, files over 256 KiB skipped)
    local target=$1; shift
    for file in "$@"; do
        [ "$(stat -c %s "$file")" -le 262144 ] || continue
        cp "$file" "corpus/$target/$(sha1sum "$file" | cut -c1-40)"
    done
}

mapfile -t json < <(find "${roots[@]}" -type f \( -name '*.json' -o -name '*.jsonc' \) | sort)
mapfile -t tf < <(find "${roots[@]}" -type f \( -name '*.tf' -o -name '*.tfvars' \) | sort)
bicep_roots=("${roots[@]}")
[ -d ../../shared/bicep ] && bicep_roots+=(../../shared/bicep)
mapfile -t bicep < <(find "${bicep_roots[@]}" -type f \( -name '*.bicep' -o -name '*.bicepparam' \) | sort)
seed arm_json "${json[@]}"
seed hcl "${tf[@]}"
seed tf_eval "${tf[@]}"
seed pipeline "${json[@]}" "${tf[@]}"
seed bicep_parse "${bicep[@]}"

# Every template expression, one per file.
python3 - "${json[@]}" <<'PY'
import hashlib, json, sys
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v: yield from strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
seen = set()
for path in sys.argv[1:]:
    try:
        doc = json.load(open(path, encoding='utf-8-sig'))
    except Exception:
        continue
    for s in strings(doc):
        if s.startswith('[') and s.endswith(']') and not s.startswith('[[') and s not in seen:
            seen.add(s)
            name = hashlib.sha1(s.encode()).hexdigest()
            open(f'corpus/arm_expr/{name}', 'w').write(s)
PY
for target in arm_json hcl arm_expr tf_eval pipeline bicep_parse; do
    echo "$target: $(ls corpus/$target | wc -l) seeds"
done
