package dsn

import "strings"

// cdataOnly maps connection properties of CData's Kintone drivers that this
// driver does not take (lower-cased) to what to do instead. A pasted CData
// connection string that holds one gets an error naming it: these are known
// names, so naming them cannot show a piece of a secret.
var cdataOnly = map[string]string{
	"schema":                     "this driver reads the Kintone REST API; remove it",
	"initiateoauth":              "get the access token yourself and set OAuthAccessToken",
	"oauthclientid":              "get the access token yourself and set OAuthAccessToken",
	"oauthclientsecret":          "get the access token yourself and set OAuthAccessToken",
	"oauthsettingslocation":      "get the access token yourself and set OAuthAccessToken",
	"callbackurl":                "get the access token yourself and set OAuthAccessToken",
	"sslservercert":              "use caFile for a PEM file of trusted roots",
	"proxyautodetect":            "use proxy with a URL such as http://user:password@host:port, or leave it out to use HTTPS_PROXY",
	"proxyserver":                "use proxy with a URL such as http://user:password@host:port",
	"proxyport":                  "use proxy with a URL such as http://user:password@host:port",
	"proxyuser":                  "use proxy with a URL such as http://user:password@host:port",
	"proxypassword":              "use proxy with a URL such as http://user:password@host:port",
	"proxyauthscheme":            "use proxy with a URL such as http://user:password@host:port",
	"proxyssltype":               "use proxy with a URL such as https://host:port",
	"proxyexceptions":            "set NO_PROXY in the environment",
	"firewalltype":               "use proxy with a URL such as socks5://user:password@host:port",
	"firewallserver":             "use proxy with a URL such as socks5://user:password@host:port",
	"firewallport":               "use proxy with a URL such as socks5://user:password@host:port",
	"firewalluser":               "use proxy with a URL such as socks5://user:password@host:port",
	"firewallpassword":           "use proxy with a URL such as socks5://user:password@host:port",
	"logfile":                    "the driver logs through log/slog; remove it",
	"logmodules":                 "the driver logs through log/slog; remove it",
	"verbosity":                  "the driver logs through log/slog; remove it",
	"location":                   "this driver reads the schema from Kintone; remove it",
	"browsableschemas":           "remove it",
	"tables":                     "use appId or apps to choose the apps",
	"views":                      "remove it",
	"other":                      "remove it",
	"checkforsubtablesin":        "remove it",
	"numbermaptodouble":          "remove it",
	"subtableseparatorcharacter": "remove it",
	"usecodeforfieldname":        "remove it; columns are always field codes",
	"userdefinedviews":           "remove it",
	"usesimplenames":             "remove it",
	"useunitfornumericfield":     "remove it",
	"allowspecialcharacters":     "remove it",
}

// cdataHint returns what to do about a CData property this driver does not
// take, if name is one.
func cdataHint(name string) (string, bool) {
	h, ok := cdataOnly[strings.ToLower(name)]
	return h, ok
}
