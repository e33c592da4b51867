// Starts `acr-lint lsp` for Terraform, ARM template, Bicep and YAML files and restarts it when the
// `acrLint.*` settings change.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

const DOCUMENTS = [
  { scheme: "file", language: "terraform" },
  { scheme: "file", language: "json" },
  { scheme: "file", language: "jsonc" },
  { scheme: "file", language: "bicep" },
  { scheme: "file", language: "bicep-params" },
  { scheme: "file", language: "yaml" },
  { scheme: "file", pattern: "**/*.{tf,tfvars,bicep,bicepparam,yaml,yml}" },
];

function serverOptions(): ServerOptions {
  const settings = vscode.workspace.getConfiguration("acrLint");
  const command = settings.get<string>("path") || "acr-lint";
  const args = ["lsp", ...settings.get<string[]>("args", [])];
  return { command, args };
}

async function start(): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS,
    diagnosticCollectionName: "acr-lint",
  };
  client = new LanguageClient("acrLint", "acr-lint", serverOptions(), clientOptions);
  try {
    await client.start();
  } catch (error) {
    const path = vscode.workspace.getConfiguration("acrLint").get<string>("path");
    void vscode.window.showErrorMessage(
      `acr-lint: could not start \`${path} lsp\` (${String(error)}). ` +
        "Install acr-lint or set `acrLint.path`.",
    );
  }
}

async function restart(): Promise<void> {
  if (client) {
    await client.stop().catch(() => undefined);
    client = undefined;
  }
  await start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("acrLint.restart", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("acrLint")) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
