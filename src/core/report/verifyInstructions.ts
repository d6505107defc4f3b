import { groupFingerprint } from '../keys/fingerprint';
import type { Bilingual } from './reportText';

/**
 * The report's last page: how anyone checks the package with standard tools alone. The PDF and
 * the HTML print these same commands, character for character, so what an expert copies from
 * either is what our own `verify` checks (the commands are also tested against real packages).
 */

export const MANIFEST_CHECK = 'sha256sum -c manifest-sha256.txt';
export const TAG_MANIFEST_CHECK = 'sha256sum -c tagmanifest-sha256.txt';
export const SIGNATURE_CHECK =
  'openssl pkeyutl -verify -pubin -inkey seal/station.pub.pem -rawin -in tagmanifest-sha256.txt -sigfile seal/tagmanifest-sha256.txt.sig';
export const FINGERPRINT_CHECK = 'openssl pkey -pubin -in seal/station.pub.pem -outform DER | sha256sum';
export const MACOS_MANIFEST_CHECK = 'shasum -a 256 -c manifest-sha256.txt';
export const WINDOWS_FILE_HASH = 'Get-FileHash -Algorithm SHA256 data\\case.json';

export interface VerifyStep {
  title: Bilingual;
  /** Exact command lines, run in the package folder (the one holding `bagit.txt`). */
  commands: string[];
  /** What a good result looks like and what anything else means. */
  meaning: Bilingual;
  /** A value the reader compares by eye (the key fingerprint), when the step has one. */
  compare: { label: Bilingual; value: string } | null;
}

export interface VerifyInstructions {
  heading: Bilingual;
  intro: Bilingual;
  steps: VerifyStep[];
  conclusion: Bilingual;
}

const b = (zh: string, en: string): Bilingual => ({ zh, en });

export function verifyInstructions(fingerprint: string, packageName: string): VerifyInstructions {
  return {
    heading: b('如何验证此证据包', 'How to verify this package'),
    intro: b(
      `以下命令均在证据包文件夹（${packageName}，即包含 bagit.txt 的文件夹）中运行；如收到的是 zip 文件，请先解压。不需要本软件。`,
      `Run every command below inside the package folder (${packageName}, the folder that holds bagit.txt); unzip it first if you received a zip. Our software is not needed.`,
    ),
    steps: [
      {
        title: b('1. 核对所有证据文件（Linux）', 'Check every evidence file (Linux)'),
        commands: [MANIFEST_CHECK],
        meaning: b(
          '每一行都应以“: OK”结尾。出现 FAILED 表示该文件已被改动；“No such file”表示文件缺失。此命令不报告多出的文件，BagIt 校验工具会报告。',
          'Every line must end in ": OK". FAILED means that file was changed; "No such file" means it is missing. Files added to the folder are not reported by this command; a BagIt validator reports them.',
        ),
        compare: null,
      },
      {
        title: b('2. 核对清单与公钥', 'Check the manifests and the public key'),
        commands: [TAG_MANIFEST_CHECK],
        meaning: b(
          '每一行都应以“: OK”结尾：bagit.txt、bag-info.txt、manifest-sha256.txt 与 seal/station.pub.pem 均未改动。',
          'Every line must end in ": OK": bagit.txt, bag-info.txt, manifest-sha256.txt and seal/station.pub.pem are unchanged.',
        ),
        compare: null,
      },
      {
        title: b(
          '3. 核对数字签名（需要 OpenSSL 3.0 或更高版本）',
          'Check the digital signature (needs OpenSSL 3.0 or later)',
        ),
        commands: [SIGNATURE_CHECK],
        meaning: b(
          '应显示“Signature Verified Successfully”。显示“Signature Verification Failure”表示 tagmanifest-sha256.txt 被改动，或不是由此公钥签名。',
          'It must print "Signature Verified Successfully". "Signature Verification Failure" means tagmanifest-sha256.txt was changed or was not signed with this key.',
        ),
        compare: null,
      },
      {
        title: b('4. 核对公钥指纹', 'Check the key fingerprint'),
        commands: [FINGERPRINT_CHECK],
        meaning: b(
          '输出的 64 位十六进制数（后跟“-”）应与下方指纹相同，也与 bag-info.txt 及本报告每页页脚中的指纹相同。该指纹还应与办案单位公布的工作站指纹一致，以确认签名者。',
          'The 64 hex digits it prints (followed by "-") must equal the fingerprint below, which is also in bag-info.txt and in the footer of every page. To know who signed, compare it with the station fingerprint the office publishes.',
        ),
        compare: { label: b('应得到的指纹', 'Expected fingerprint'), value: groupFingerprint(fingerprint) },
      },
      {
        title: b('5. macOS', '5. macOS'),
        commands: [MACOS_MANIFEST_CHECK],
        meaning: b(
          '结果与第 1 步相同：每一行都应以“: OK”结尾。清单文件可同样用 shasum -a 256 -c tagmanifest-sha256.txt 核对；签名与指纹用第 3、4 步的 openssl 命令核对。',
          'Same result as step 1: every line must end in ": OK". Check the tag manifest the same way with shasum -a 256 -c tagmanifest-sha256.txt, and the signature and fingerprint with the openssl commands of steps 3 and 4.',
        ),
        compare: null,
      },
      {
        title: b('6. Windows PowerShell', '6. Windows PowerShell'),
        commands: [WINDOWS_FILE_HASH],
        meaning: b(
          '将 data\\case.json 换成要核对的文件。PowerShell 以大写显示哈希；它应与 manifest-sha256.txt 中列出该文件（路径以 / 分隔）的那一行开头的 64 位哈希相同（不区分大小写）。签名与指纹用第 3、4 步的 openssl 命令核对（安装 OpenSSL 3 后）。',
          'Replace data\\case.json with the file to check. PowerShell prints the hash in capitals; it must equal (ignoring case) the 64 hex digits at the start of the line of manifest-sha256.txt that names that file (with / in the path). Check the signature and the fingerprint with the openssl commands of steps 3 and 4 (once OpenSSL 3 is installed).',
        ),
        compare: null,
      },
    ],
    conclusion: b(
      '第 1 至 4 步全部通过，且指纹相符时：证据包中的每个文件都与封存时完全相同，并由该指纹所属的工作站签名。',
      'When steps 1 to 4 all pass and the fingerprint matches, every file of the package is exactly as it was sealed, signed by the station that holds this key.',
    ),
  };
}
