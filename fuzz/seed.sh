#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from testdata/ and ../shared/corpus (when present).
set -euo pipefail
cd "$(dirname "$0")"
roots=(../testdata)
[ -d ../../shared/corpus ] && roots+=(../../shared/corpus)
mkdir -p corpus/{arm_json,hcl,arm_expr,tf_eval,pipeline,bicep_parse,bicep_eval,tf_files,arm_files}

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
seed bicep_eval "${bicep[@]}"

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
# Hostile seeds: doubling chains (the evaluators' size budgets) and a registry in the middle of
# a 200 KB line (line index and windowed code frames).
python3 - <<'PY'
import json
schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
registry = {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
            "name": "acrseed001", "location": "westeurope", "sku": {"name": "Premium"},
            "properties": {"adminUserEnabled": True, "policies": "[variables('o0')]"}}
objects = {f"o{i}": {"a": f"[variables('o{i + 1}')]", "b": f"[variables('o{i + 1}')]"} for i in range(30)}
objects["o30"] = "x"
arrays = {f"v{i}": f"[createArray(variables('v{i - 1}'), variables('v{i - 1}'))]" for i in range(1, 31)}
arrays["v0"] = "[createArray('x')]"
doubling = json.dumps({"$schema": schema, "contentVersion": "1.0.0.0",
                       "variables": {**objects, **arrays}, "resources": [registry]})
pad = "p" * 100_000
long_line = json.dumps({"$schema": schema, "contentVersion": "1.0.0.0", "variables": {"a": pad},
                        "resources": [registry], "outputs": {"b": {"type": "string", "value": pad}}})
locals_ = "\n".join(f"  l{i} = {{ a = local.l{i - 1}, b = [local.l{i - 1}] }}" for i in range(1, 41))
hcl = ("locals {\n  l0 = \"x\"\n" + locals_ + "\n}\n"
       'resource "azurerm_container_registry" "acr" {\n  name = "acrseed002"\n  sku = "Premium"\n'
       "  admin_enabled = length(local.l40) > 0\n  tags = local.l40\n}\n")
for target in ("arm_json", "pipeline"):
    open(f"corpus/{target}/hostile-doubling-template", "w").write(doubling)
    open(f"corpus/{target}/hostile-long-line-template", "w").write(long_line)
for target in ("hcl", "tf_eval", "pipeline"):
    open(f"corpus/{target}/hostile-doubling-locals", "w").write(hcl)
open("corpus/arm_expr/hostile-doubling-reduce", "w").write(
    "[reduce(range(0, 40), createArray('x'), lambda('a', 'i', concat(lambdaVariables('a'), lambdaVariables('a'))))]")
PY

# The Terraform cases that read files, each as one input of `tf_files`: main.tf, the YAML file,
# the template and two files of `registries/`, joined by lines of `---8<---`.
python3 - <<'PY'
import glob, hashlib, os
def first(case, patterns):
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(case, pattern))):
            return open(path, encoding="utf-8", errors="replace").read()
    return ""
for case in sorted(glob.glob("../testdata/terraform/*/*/")):
    main = first(case, ["main.tf"])
    if not any(f in main for f in ("file(", "fileset(", "templatefile(")):
        continue
    parts = [main, first(case, ["*.yaml", "*.yml", "*.json"]), first(case, ["*.tftpl", "*.tpl"]),
             first(case, ["*/*.yaml", "*/*.yml"]), first(case, ["*/*.json"])]
    seed = "\n---8<---\n".join(parts)
    name = hashlib.sha1(seed.encode()).hexdigest()
    open(f"corpus/tf_files/{name}", "w").write(seed)
registry = ('variable "admin" {\n  default = false\n}\nvariable "sku" {\n  default = "Premium"\n}\n'
            'resource "azurerm_container_registry" "acr" {\n  name = "acrazd001"\n'
            '  resource_group_name = "rg"\n  location = "westeurope"\n  sku = var.sku\n'
            '  admin_enabled = var.admin\n}\n')
azd = "\n---8<---\n".join([registry, "", "", "", "", "admin = true\n",
                            "name: azd\ninfra:\n  provider: terraform\n  path: .\n",
                            '{"sku": "${ACR_SKU=Basic}", "admin": [{"a": "${ADMIN}"}]}\n'])
open("corpus/tf_files/azd-variable-files", "w").write(azd)
PY

# The ARM and Bicep cases with parameters files, each as one input of `arm_files`: the template,
# the parameters files beside it and in `parameters/`, the Bicep file, its `.bicepparam` file,
# a module, no configuration and the `.bicepparam` file in another directory, joined by lines of
# `---8<---`.
python3 - <<'PY'
import glob, hashlib, os, re
def first(case, patterns, exclude=()):
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(case, pattern), recursive=True)):
            if not any(word in os.path.basename(path) for word in exclude):
                return open(path, encoding="utf-8", errors="replace").read()
    return ""
cases = sorted(glob.glob("../testdata/arm/*/*/") + glob.glob("../testdata/bicep/*/*/"))
for case in cases:
    parameters = first(case, ["**/*.parameters*.json"])
    bicepparam = first(case, ["**/*.bicepparam"])
    if not parameters and not bicepparam:
        continue
    # The `.bicepparam` file again in `deploy/`, naming the template from there.
    elsewhere = re.sub(r"^using\s+'[^']*'", "using '../main.bicep'", bicepparam, flags=re.M)
    parts = [first(case, ["**/*.json"], exclude=("parameters", "expected")), parameters,
             first(case, ["parameters/*.json", "**/*.parameters*.json"]),
             first(case, ["*.bicep"]), bicepparam, first(case, ["*/*.bicep"]), "", elsewhere]
    seed = "\n---8<---\n".join(parts)
    name = hashlib.sha1(seed.encode()).hexdigest()
    open(f"corpus/arm_files/{name}", "w").write(seed)
schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
def linked(template):
    return ('{"$schema": "%s", "contentVersion": "1.0.0.0", "metadata": {"template": "%s"}, '
            '"parameters": {"admin": {"value": true}}}' % (schema, template))
bicep = ("param admin bool = false\nmodule registry 'modules/registry.bicep' = {\n"
         "  name: 'registry'\n  params: { admin: admin }\n}\n")
module = ("param admin bool\nresource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n"
          "  name: 'acrlinked001'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n"
          "  properties: { adminUserEnabled: admin }\n}\n")
configuration = ("parameters:\n  - template: modules/registry.bicep\n"
                 "    files: [main.parameters.json, parameters/main.parameters.prod.json]\n")
seed = "\n---8<---\n".join(["", linked("main.bicep"), linked("../modules/registry.bicep"), bicep,
                             "using 'main.bicep'\nparam admin = true\n", module, configuration])
open("corpus/arm_files/linked-templates", "w").write(seed)
PY

for target in arm_json hcl arm_expr tf_eval pipeline bicep_parse bicep_eval tf_files arm_files; do
    echo "$target: $(ls corpus/$target | wc -l) seeds"
done
