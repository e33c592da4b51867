#!/usr/bin/env python3
"""Finds work that grows faster than the input: `scripts/scaling.py BINARY [N] [ROUNDS]`.

Writes inputs of eleven shapes, each at N and at 4N of its unit (files in one directory,
files given by name, resources in one file, suppression comments, module calls...), into a
temporary directory, scans each with BINARY (SARIF to a file, the default rules), and prints
the median wall time of ROUNDS runs at each size and their ratio. Work that grows with the
input runs about 4 times longer at 4N; a ratio well above that (say over 6) points at work
done for every pair of something. N defaults to 2000, ROUNDS to 3.
"""

import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def template(resources, **sections):
    return json.dumps({"$schema": TEMPLATE_SCHEMA, "contentVersion": "1.0.0.0",
                       **sections, "resources": resources})


def arm_registry(name, admin=True):
    return {"type": REGISTRY_TYPE, "apiVersion": "2023-07-01", "name": name,
            "location": "westeurope", "sku": {"name": "Premium"},
            "properties": {"adminUserEnabled": admin}}


def bicep_registry(symbol, name):
    return (f"resource {symbol} '{REGISTRY_TYPE}@2023-07-01' = {{\n  name: {name}\n"
            "  location: 'westeurope'\n  sku: { name: 'Premium' }\n"
            "  properties: { adminUserEnabled: true }\n}\n")


def tf_registry(label, name):
    return (f'resource "azurerm_container_registry" "{label}" {{\n  name = {name}\n'
            '  resource_group_name = "rg"\n  location = "westeurope"\n  sku = "Premium"\n'
            "  admin_enabled = true\n}\n")


def bicep_pairs_in_one_directory(n, root):
    """n Bicep files, each with its compiled JSON and, for every other one, a parameters file."""
    for i in range(n):
        write(f"{root}/reg{i:05}.bicep", bicep_registry("acr", f"'acr{i}'"))
        compiled = template([arm_registry(f"acr{i}")],
                            metadata={"_generator": {"name": "bicep", "version": "0.30"}})
        write(f"{root}/reg{i:05}.json", compiled)
        if i % 2 == 0:
            write(f"{root}/reg{i:05}.parameters.json", json.dumps({"parameters": {}}))
    return [root]


def files_given_by_name(n, root):
    """n ARM templates with parameters files in 20 directories, every file given by name."""
    paths = []
    for i in range(n):
        directory = f"{root}/d{i % 20:02}"
        write(f"{directory}/t{i:05}.json", template([arm_registry(f"acr{i}")]))
        write(f"{directory}/t{i:05}.parameters.json", json.dumps({"parameters": {}}))
        paths += [f"{directory}/t{i:05}.json", f"{directory}/t{i:05}.parameters.json"]
    return paths


def bicep_modules_called(n, root):
    """n Bicep files in 20 directories, each calling a module of its own."""
    for i in range(n):
        directory = f"{root}/d{i % 20:02}"
        write(f"{directory}/main{i:05}.bicep",
              f"module reg 'modules/reg{i:05}.bicep' = {{\n  name: 'reg{i}'\n"
              f"  params: {{ name: 'acr{i}' }}\n}}\n")
        write(f"{directory}/modules/reg{i:05}.bicep",
              "param name string\n" + bicep_registry("acr", "name"))
    return [root]


def suppressions_in_one_file(n, root):
    """One Terraform file of n registries, each under a suppression comment."""
    write(f"{root}/main.tf", "".join(
        f"# acr-lint:ignore ACR001 -- accepted {i}\n" + tf_registry(f"acr{i}", f'"acr{i}"')
        for i in range(n)))
    return [root]


def suppressions_across_files(n, root):
    """n Terraform files in 20 directories, each a registry under two suppression comments."""
    for i in range(n):
        write(f"{root}/d{i % 20:02}/acr{i:05}.tf",
              f'# acr-lint:ignore ACR001 reason="accepted {i}"\n'
              f'# acr-lint:ignore ACR002 reason="accepted {i}"\n'
              + tf_registry(f"acr{i}", f'"acr{i}"'))
    return [root]


def secrets_across_templates(n, root):
    """n ARM templates in 20 directories, each with a secure parameter's default of its own."""
    for i in range(n):
        secret = {"type": "securestring", "defaultValue": f"S3cret-value-{i:05}-xyz"}
        write(f"{root}/d{i % 20:02}/t{i:05}.json",
              template([arm_registry(f"acr{i}")], parameters={"adminPassword": secret}))
    return [root]


def terraform_json_files(n, root):
    """n Terraform files in JSON syntax in 20 directories, a registry each."""
    for i in range(n):
        registry = {"name": f"acr{i}", "resource_group_name": "rg", "location": "westeurope",
                    "sku": "Premium", "admin_enabled": True}
        write(f"{root}/d{i % 20:02}/acr{i:05}.tf.json", json.dumps(
            {"resource": {"azurerm_container_registry": {f"acr{i}": registry}}}, indent=2))
    return [root]


def bicep_resources_in_one_file(n, root):
    """One Bicep file of n registries, each with a nested webhook and a lock scoped to it."""
    write(f"{root}/main.bicep", "".join(
        bicep_registry(f"acr{i}", f"'acr{i}'")
        + f"resource wh{i} '{REGISTRY_TYPE}/webhooks@2023-07-01' = {{\n  parent: acr{i}\n"
        "  name: 'wh'\n  location: 'westeurope'\n"
        "  properties: { serviceUri: 'https://x', actions: ['push'] }\n}\n"
        for i in range(n)))
    return [root]


def arm_resources_in_one_template(n, root):
    """One ARM template of n registries, each with a private endpoint naming it."""
    resources = []
    for i in range(n):
        resources.append(arm_registry(f"acr{i}"))
        connection = {"name": "c", "properties": {
            "privateLinkServiceId": f"[resourceId('{REGISTRY_TYPE}', 'acr{i}')]",
            "groupIds": ["registry"]}}
        resources.append({"type": "Microsoft.Network/privateEndpoints",
                          "apiVersion": "2023-04-01", "name": f"pe{i}", "location": "westeurope",
                          "properties": {"privateLinkServiceConnections": [connection]}})
    write(f"{root}/main.json", template(resources))
    return [root]


def terraform_module_calls(n, root):
    """One Terraform module calling a child module n times."""
    write(f"{root}/mod/main.tf", 'variable "name" {}\n' + tf_registry("acr", "var.name"))
    write(f"{root}/main.tf", "".join(
        f'module "m{i}" {{\n  source = "./mod"\n  name = "acr{i}"\n}}\n' for i in range(n)))
    return [root]


def terraform_files_in_one_module(n, root):
    """One Terraform module of n files, each a registry with a webhook referring to it."""
    for i in range(n):
        write(f"{root}/acr{i:05}.tf", tf_registry(f"acr{i}", f'"acr{i}"')
              + f'resource "azurerm_container_registry_webhook" "wh{i}" {{\n'
              f'  name = "wh{i}"\n  registry_name = azurerm_container_registry.acr{i}.name\n'
              '  resource_group_name = "rg"\n  location = "westeurope"\n'
              '  service_uri = "https://x"\n  actions = ["push"]\n}\n')
    return [root]


SHAPES = [
    bicep_pairs_in_one_directory,
    files_given_by_name,
    bicep_modules_called,
    suppressions_in_one_file,
    suppressions_across_files,
    secrets_across_templates,
    terraform_json_files,
    bicep_resources_in_one_file,
    arm_resources_in_one_template,
    terraform_module_calls,
    terraform_files_in_one_module,
]


def median_wall(command, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    unit = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    print(f"{'shape':<32} {'N':>7} {'4N':>7}  {'N (ms)':>9} {'4N (ms)':>9}  ratio")
    with tempfile.TemporaryDirectory() as scratch:
        report = os.path.join(scratch, "report.sarif")
        for shape in SHAPES:
            medians = []
            for size in (unit, 4 * unit):
                paths = shape(size, os.path.join(scratch, f"{shape.__name__}-{size}"))
                command = [binary, *paths, "-f", f"sarif={report}"]
                medians.append(median_wall(command, rounds))
            small, large = medians
            print(f"{shape.__name__:<32} {unit:>7} {4 * unit:>7}  {small * 1000:>9.1f} "
                  f"{large * 1000:>9.1f}  {large / small:5.1f}", flush=True)
    print("command:", shlex.join([sys.argv[0], *sys.argv[1:]]))


if __name__ == "__main__":
    main()
