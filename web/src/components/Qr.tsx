import { useEffect, useState } from "react";
import QRCode from "qrcode";
import { Spinner } from "./ui";

export function QrCode({ value, label }: { value: string; label: string }) {
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { margin: 1, width: 400, errorCorrectionLevel: "M" })
      .then((url) => live && setSrc(url))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [value]);
  return (
    <div className="qr">
      {src ? <img src={src} alt={label} /> : failed ? <span className="faint">QR code unavailable</span> : <Spinner />}
    </div>
  );
}
